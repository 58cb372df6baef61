import {
  EXPECTED_CARRY_NOTE,
  formatCarried,
  formatLocalDate,
  formatNameWithUnit,
  formatWeekdayClock,
  type WeekPlan,
} from '@marketprep/contracts';
import { drawPageFeet, drawTableHeader, landscapePdf } from '../../lib/pdf-table';
import { pdfText } from '../prep-lists/prep-list-export';

/** `week-plan-<from>.pdf`. */
export function weekPlanFileName(plan: Pick<WeekPlan, 'from'>): string {
  return `week-plan-${plan.from}.pdf`;
}

function formatMoneyChange(minor: number): string {
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
    Math.abs(minor) / 100,
  );
  return `${minor < 0 ? '-' : '+'}${amount}`;
}

/**
 * The week's plan as a printable PDF for the kitchen or the field crew (US Letter, landscape),
 * drawn like the prep list's PDF: the week and its totals at the top, then one row per product and
 * market day (make by when, carried over, pre-orders, bring, cut, and the rain plan where rain is
 * forecast), each product's cut explained under the table, the products with nothing to do all
 * week named in one line, and "Page N of M" on every page. Frozen days say so.
 */
export function weekPlanPdf(plan: WeekPlan): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const year = Number(plan.from.slice(0, 4));
    const date = (value: string) => formatLocalDate(value, { currentYear: year });
    const week = `${date(plan.from)} - ${date(plan.to)}`;
    const { doc, bytes } = landscapePdf({ Title: pdfText(`This week's plan ${week}`) });
    bytes.then(resolve, reject);

    const left = doc.page.margins.left;
    const bottom = doc.page.height - doc.page.margins.bottom;
    const columns = [
      { title: 'Product', width: 150, align: 'left' as const },
      { title: 'Market day', width: 130, align: 'left' as const },
      { title: 'Decide by', width: 80, align: 'left' as const },
      { title: 'Make', width: 40, align: 'right' as const },
      { title: 'Carried', width: 42, align: 'right' as const },
      { title: 'Pre-orders', width: 50, align: 'right' as const },
      { title: 'Bring', width: 40, align: 'right' as const },
      { title: 'Cut', width: 30, align: 'right' as const },
      { title: 'If it rains', width: 110, align: 'left' as const },
    ];
    const gap = 5;
    const tableWidth = columns.reduce((sum, c) => sum + c.width, 0) + gap * (columns.length - 1);
    const zoneOf = new Map(plan.marketDays.map((d) => [d.marketDayId, d.timezone]));

    doc.font('Helvetica-Bold').fontSize(16).text(pdfText("This week's plan"), left, 36);
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(
        pdfText(
          `${week}: ${plan.marketDays.length} market ${plan.marketDays.length === 1 ? 'day' : 'days'}, make ${plan.totals.make}, bring ${plan.totals.bring}`,
        ),
      );
    const rainy = plan.marketDays.filter((d) => d.rain !== null);
    if (rainy.length > 0) {
      doc.fontSize(9).text(
        pdfText(
          `Rain forecast: ${rainy
            .map((d) => {
              const chance =
                d.rain?.precipProb != null ? `${Math.round(d.rain.precipProb * 100)}%` : 'rain';
              return `${d.marketName} ${date(d.date)} (${chance}${d.rain?.precipMm ? `, ${d.rain.precipMm} mm` : ''})`;
            })
            .join('; ')}. "If it rains": what to bring then, and the change in expected profit.`,
        ),
        { width: tableWidth },
      );
    }
    doc.moveDown(0.8);

    const header = () => drawTableHeader(doc, columns, left, gap);
    header();

    const busy = plan.products.filter((p) =>
      p.days.some((d) => d.make > 0 || d.bring > 0 || d.preOrders > 0 || d.carriedOver > 0),
    );
    const idle = plan.products.filter((p) => !busy.includes(p));
    for (const product of busy) {
      product.days.forEach((day, index) => {
        const cells = [
          index === 0 ? formatNameWithUnit(product.productName, product.unit) : '',
          `${day.marketName}, ${date(day.date)}`,
          `${formatWeekdayClock(day.deadlineAt, zoneOf.get(day.marketDayId) ?? 'UTC')}${day.frozen ? ' (frozen)' : ''}`,
          String(day.make),
          formatCarried(day) ?? '-',
          day.preOrders ? String(day.preOrders) : '-',
          String(day.bring),
          day.cut ? `-${day.cut}` : '-',
          // A product without a price or a cost has no profit to speak of (the screen says its
          // takings only, or nothing without a price).
          day.rain
            ? product.priced && product.costed
              ? `bring ${day.rain.bring}, profit ${formatMoneyChange(day.rain.profitDifferenceMinor)}`
              : `bring ${day.rain.bring}`
            : '',
        ].map(pdfText);
        const height =
          Math.max(
            ...cells.map((text, i) => doc.heightOfString(text, { width: columns[i]!.width })),
          ) + 4;
        if (doc.y + height > bottom) {
          doc.addPage();
          doc.y = doc.page.margins.top;
          header();
        }
        const y = doc.y;
        let x = left;
        cells.forEach((text, i) => {
          const column = columns[i]!;
          // What to make and what to bring are what the kitchen reads first.
          const bold = i === 0 || i === 3 || i === 6;
          doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
          doc.text(text, x, y, { width: column.width, align: column.align });
          x += column.width + gap;
        });
        doc.font('Helvetica');
        doc
          .moveTo(left, y + height - 2)
          .lineTo(x - gap, y + height - 2)
          .lineWidth(index === product.days.length - 1 ? 0.6 : 0.3)
          .strokeColor(index === product.days.length - 1 ? '#888888' : '#cccccc')
          .stroke()
          .strokeColor('black');
        doc.y = y + height;
      });
    }

    const notes = [
      ...(busy.some((p) => p.days.some((d) => d.carriedExpected > 0)) ? [EXPECTED_CARRY_NOTE] : []),
      ...busy.filter((p) => p.cutNote !== null).map((p) => `${p.productName}: ${p.cutNote ?? ''}`),
      ...(idle.length > 0
        ? [`Nothing to make or bring this week: ${idle.map((p) => p.productName).join(', ')}.`]
        : []),
    ];
    doc.font('Helvetica').fontSize(8);
    for (const note of notes) {
      const text = pdfText(note);
      if (doc.y + doc.heightOfString(text, { width: tableWidth }) + 4 > bottom) {
        doc.addPage();
        doc.y = doc.page.margins.top;
      }
      doc.moveDown(0.3).text(text, left, doc.y, { width: tableWidth });
    }

    drawPageFeet(doc, { left, width: tableWidth, label: pdfText(`This week's plan ${week}`) });
    doc.end();
  });
}
