import type { PrepList } from '@marketprep/contracts';
import PDFDocument from 'pdfkit';

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

/** The prep list as CSV: a header and one row per product (CRLF line ends). */
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
      line.expectedRevenueMinor,
      line.modelRung,
      line.dataSufficiency,
      line.explanation.summary,
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
function pdfText(value: string): string {
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

function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));
}

const oneDecimal = (value: number) => (Math.round(value * 10) / 10).toString();

/**
 * The prep list as a printable PDF (US Letter, landscape): vendor, market, date and "as of" times
 * at the top, then a table of product, units to bring, likely range, expected sold and a short
 * explanation. A long list continues on further pages with the table header repeated.
 */
export function prepListPdf(list: PrepList, options: { timeZone: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      layout: 'landscape',
      margin: 36,
      info: {
        Title: pdfText(`Prep list ${list.marketName} ${list.date}`),
        Author: pdfText(list.vendorName),
        Creator: 'MarketPrep',
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

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

    doc.font('Helvetica-Bold').fontSize(16).text(pdfText(list.vendorName), left, 36);
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(pdfText(`${list.marketName} - ${longDate(list.date)}`));
    doc
      .fontSize(8)
      .fillColor('#444444')
      .text(
        pdfText(
          `As of ${formatInstant(list.generatedAt, options.timeZone)}. Sales data ${formatInstant(list.salesAsOf, options.timeZone)}; weather ${formatInstant(list.weatherAsOf, options.timeZone)}; events ${formatInstant(list.eventsAsOf, options.timeZone)}.`,
        ),
      )
      .fillColor('black');
    doc.moveDown(0.8);

    const header = () => {
      let x = left;
      const y = doc.y;
      doc.font('Helvetica-Bold').fontSize(9);
      for (const column of columns) {
        doc.text(column.title, x, y, { width: column.width, align: column.align });
        x += column.width + gap;
      }
      const lineY = y + 13;
      doc
        .moveTo(left, lineY)
        .lineTo(x - gap, lineY)
        .lineWidth(0.8)
        .stroke();
      doc.y = lineY + 4;
      doc.font('Helvetica').fontSize(9);
    };
    header();

    for (const line of list.lines) {
      const cells = [
        `${line.productName} (${line.unit})`,
        `${line.effectiveQuantity}${line.overrideQuantity !== null ? '*' : ''}`,
        `${oneDecimal(line.q10)}-${oneDecimal(line.q90)}`,
        oneDecimal(line.expectedSold),
        line.explanation.summary,
      ].map(pdfText);
      const height =
        Math.max(
          ...cells.map((text, i) => doc.heightOfString(text, { width: columns[i]?.width ?? 100 })),
        ) + 4;
      if (doc.y + height > bottom) {
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
    }
    if (list.lines.some((line) => line.overrideQuantity !== null)) {
      doc.moveDown(0.5).fontSize(8).text('* set by hand (overrides the recommendation)', left);
    }
    doc.end();
  });
}
