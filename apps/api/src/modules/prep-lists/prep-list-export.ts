import {
  expectedRevenueWords,
  formatLocalDate,
  formatNameWithUnit,
  noneHasPrice,
  type PrepList,
} from '@marketprep/contracts';
import { localDate } from '@marketprep/planning';
import { drawPageFeet, drawTableHeader, landscapePdf } from '../../lib/pdf-table';
import { countsInTotals } from './prep-list-lines';

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'product_id',
  'product',
  'unit',
  'bring',
  'recommended',
  'override',
  'p10',
  'p50',
  'p90',
  'critical_ratio',
  'expected_sold',
  'expected_revenue_minor',
  'model_rung',
  'data_sufficiency',
  'explanation',
  'in_season',
  'availability_note',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`, so a product name cannot become a formula.
 */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The prep list as CSV: a header and one row per product, out-of-season ones included (with
 * `in_season` false and the reason), so a spreadsheet holds the whole list (CRLF line ends). A
 * product without a price has an empty `expected_revenue_minor`: its revenue is unknown, not 0.
 */
export function prepListCsv(list: PrepList): string {
  const rows = list.lines.map((line) =>
    [
      line.productId,
      line.productName,
      line.unit,
      line.effectiveQuantity,
      line.recommendedQuantity,
      line.overrideQuantity,
      line.q10,
      line.q50,
      line.q90,
      line.criticalRatio,
      line.expectedSold,
      line.priced ? line.expectedRevenueMinor : null,
      line.modelRung,
      line.dataSufficiency,
      line.explanation.summary,
      line.availability.inSeason ? 'true' : 'false',
      line.availability.note,
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** A file name for an export: `prep-list-<market>-<date>.<ext>` (ASCII, no quotes). */
export function exportFileName(list: PrepList, extension: 'csv' | 'pdf'): string {
  const market =
    list.marketName
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'market';
  return `prep-list-${market}-${list.date}.${extension}`;
}

/** The standard PDF fonts speak WinAnsi only: anything else is shown as '?'. */
export function pdfText(value: string): string {
  return value.replace(/[^\x20-\x7E\u00A0-\u00FF\u2013\u2014\u2019]/g, '?');
}

function formatInstant(value: string | null, timeZone: string): string {
  if (!value) return 'never';
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(value));
}

/**
 * The market day as the vendor reads it on screen ("Sat, Nov 28"), with its year only when that is
 * not the year the list was made in (where the market is).
 */
function marketDate(list: PrepList, timeZone: string): string {
  const madeIn = Number(localDate(new Date(list.generatedAt), timeZone).slice(0, 4));
  return formatLocalDate(list.date, { currentYear: madeIn });
}

const oneDecimal = (value: number) => (Math.round(value * 10) / 10).toString();

function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/**
 * The rows of a packing sheet: the lines that count toward the totals (in season, or set by hand),
 * and the out-of-season ones left off it.
 */
export function packingLinesOf(list: PrepList): {
  packed: PrepList['lines'];
  outOfSeason: PrepList['lines'];
} {
  return {
    packed: list.lines.filter(countsInTotals),
    outOfSeason: list.lines.filter((line) => !countsInTotals(line)),
  };
}

const HEALTH_WORD = { good: 'good', check: 'check before packing', stale: 'out of date' } as const;

/**
 * The prep list as a printable PDF (US Letter, landscape): vendor, market, date and "as of" times
 * at the top, the cold-start note when the numbers are a guess, then a table of product, units to
 * bring, likely range, expected sold and a short explanation, and the totals (the expected revenue
 * as the screen says it: "no prices yet" when no product on the sheet has a price, and how many
 * have none when some do not, see `expectedRevenueWords`). A vendor packs from it, so out-of-season products (0 to bring) are not rows: one line under the table names them.
 * A long list continues on further pages with the table header repeated; the totals and the notes
 * under the table stay on the page of the table's last row (never a page of their own), and every
 * page's foot names the market, the date and "Page N of M".
 */
export function prepListPdf(list: PrepList, options: { timeZone: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const day = marketDate(list, options.timeZone);
    const { doc, bytes } = landscapePdf({
      Title: pdfText(`Prep list ${list.marketName} ${day}`),
      Author: pdfText(list.vendorName),
    });
    bytes.then(resolve, reject);

    const left = doc.page.margins.left;
    const bottom = doc.page.height - doc.page.margins.bottom;
    const columns = [
      { title: 'Product', width: 190, align: 'left' as const },
      { title: 'Bring', width: 50, align: 'right' as const },
      { title: 'Range (P10-P90)', width: 90, align: 'right' as const },
      { title: 'Expected sold', width: 70, align: 'right' as const },
      { title: 'Why', width: 300, align: 'left' as const },
    ];
    const gap = 5;
    const tableWidth = columns.reduce((sum, column) => sum + column.width, 0) + gap * 4;

    doc.font('Helvetica-Bold').fontSize(16).text(pdfText(list.vendorName), left, 36);
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(pdfText(`${list.marketName} - ${day}`));
    doc
      .fontSize(8)
      .fillColor('#444444')
      .text(
        pdfText(
          `As of ${formatInstant(list.generatedAt, options.timeZone)}. Sales data ${formatInstant(list.salesAsOf, options.timeZone)}; weather ${formatInstant(list.weatherAsOf, options.timeZone)}; events ${formatInstant(list.eventsAsOf, options.timeZone)}.`,
        ),
      )
      .fillColor('black');
    // How far to trust the sheet, on the sheet: the verdict, and what is off when it is not good.
    doc
      .moveDown(0.3)
      .font('Helvetica-Bold')
      .fontSize(list.health.verdict === 'good' ? 8 : 10)
      .text(pdfText(`Inputs: ${HEALTH_WORD[list.health.verdict]}.`), { continued: true })
      .font('Helvetica')
      .text(
        pdfText(` ${list.health.summary ?? 'Sales, weather, events and model are up to date.'}`),
      );
    if (list.coldStart) {
      doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).text(pdfText(list.coldStart.note));
      doc.font('Helvetica');
    }
    doc.moveDown(0.8);

    const header = () => drawTableHeader(doc, columns, left, gap);
    header();

    const { packed, outOfSeason } = packingLinesOf(list);

    // What follows the table: the totals, then the notes, each with the space above it.
    const tail: { text: string; font: string; size: number; spaceAbove: number }[] = [
      {
        text: pdfText(
          `Total: ${list.totals.effectiveQuantity} to bring - ${
            noneHasPrice(packed)
              ? 'no prices yet'
              : `expected revenue ${expectedRevenueWords(formatMoney(list.totals.expectedRevenueMinor, list.currency), packed)}`
          }`,
        ),
        font: 'Helvetica-Bold',
        size: 9,
        spaceAbove: 0.5,
      },
    ];
    if (packed.some((line) => line.overrideQuantity !== null)) {
      tail.push({
        text: '* set by hand (overrides the recommendation)',
        font: 'Helvetica',
        size: 8,
        spaceAbove: 0.3,
      });
    }
    if (outOfSeason.length > 0) {
      tail.push({
        text: pdfText(
          `Not in season, not to bring (${outOfSeason.length}): ${outOfSeason.map((line) => line.productName).join(', ')}`,
        ),
        font: 'Helvetica',
        size: 8,
        spaceAbove: 0.3,
      });
    }
    const tailHeight = tail.reduce((sum, part) => {
      doc.font(part.font).fontSize(part.size);
      return (
        sum +
        doc.currentLineHeight(true) * part.spaceAbove +
        doc.heightOfString(part.text, { width: tableWidth })
      );
    }, 0);
    doc.font('Helvetica').fontSize(9);

    packed.forEach((line, index) => {
      const cells = [
        formatNameWithUnit(line.productName, line.unit),
        `${line.effectiveQuantity}${line.overrideQuantity !== null ? '*' : ''}`,
        `${oneDecimal(line.q10)}-${oneDecimal(line.q90)}`,
        oneDecimal(line.expectedSold),
        line.explanation.summary,
      ].map(pdfText);
      const height =
        Math.max(
          ...cells.map((text, i) => doc.heightOfString(text, { width: columns[i]?.width ?? 100 })),
        ) + 4;
      // The last row takes the totals and notes with it, so they never start a page alone.
      const needed = height + (index === packed.length - 1 ? tailHeight + 2 : 0);
      if (doc.y + needed > bottom) {
        doc.addPage();
        doc.y = doc.page.margins.top;
        header();
      }
      const y = doc.y;
      let x = left;
      cells.forEach((text, i) => {
        const column = columns[i];
        if (!column) return;
        if (i === 1) doc.font('Helvetica-Bold');
        doc.text(text, x, y, { width: column.width, align: column.align });
        if (i === 1) doc.font('Helvetica');
        x += column.width + gap;
      });
      doc
        .moveTo(left, y + height - 2)
        .lineTo(x - gap, y + height - 2)
        .lineWidth(0.3)
        .strokeColor('#bbbbbb')
        .stroke()
        .strokeColor('black');
      doc.y = y + height;
    });
    for (const part of tail) {
      doc.font(part.font).fontSize(part.size);
      doc.moveDown(part.spaceAbove).text(part.text, left, doc.y, { width: tableWidth });
    }

    drawPageFeet(doc, { left, width: tableWidth, label: pdfText(`${list.marketName} - ${day}`) });
    doc.end();
  });
}
