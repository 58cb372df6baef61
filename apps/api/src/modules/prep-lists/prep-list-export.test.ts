import { inflateSync } from 'node:zlib';
import type { PrepList } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  exportFileName,
  packingLinesOf,
  prepListCsv,
  prepListPdf,
} from './prep-list-export';

const line = (over: Partial<PrepList['lines'][number]>): PrepList['lines'][number] => ({
  productId: '00000000-0000-4000-8000-000000000001',
  productName: 'Sourdough',
  unit: 'loaf',
  q10: 20,
  q50: 30,
  q90: 41.5,
  criticalRatio: 0.7,
  recommendedQuantity: 36,
  overrideQuantity: null,
  effectiveQuantity: 36,
  expectedSold: 28.25,
  expectedRevenueMinor: 19775,
  priced: true,
  costed: true,
  modelRung: 'pooled',
  dataSufficiency: 'rich',
  availability: {
    inSeason: true,
    source: 'learned',
    lastSoldOn: '2026-11-21',
    usualMonths: [],
    note: null,
  },
  explanation: { baseline: 30, baselineSupport: 40, effects: [], summary: 'Typical day 30' },
  ...over,
});

const strawberries = line({
  productId: '00000000-0000-4000-8000-000000000003',
  productName: 'Strawberries',
  recommendedQuantity: 0,
  effectiveQuantity: 0,
  expectedSold: 0,
  expectedRevenueMinor: 0,
  modelRung: 'out-of-season',
  availability: {
    inSeason: false,
    source: 'learned',
    lastSoldOn: '2026-09-14',
    usualMonths: [7, 8, 9],
    note: 'Not in season: last sold Sep 14; usually Jul-Sep',
  },
});

const list: PrepList = {
  id: '00000000-0000-4000-8000-0000000000aa',
  marketId: '00000000-0000-4000-8000-0000000000bb',
  marketName: 'Riverside Saturday Market',
  marketDayId: '00000000-0000-4000-8000-0000000000cc',
  date: '2026-11-28',
  timezone: 'America/Chicago',
  vendorName: 'Crumb & Co',
  currency: 'USD',
  trigger: 'inputs-changed',
  generatedAt: '2026-11-27T18:00:00.000Z',
  salesAsOf: null,
  weatherAsOf: '2026-11-27T12:00:00.000Z',
  eventsAsOf: null,
  model: null,
  coldStart: null,
  closingHoliday: null,
  totals: { effectiveQuantity: 48, expectedRevenueMinor: 19775 },
  health: {
    verdict: 'check',
    summary: 'Weather: climatology (the usual weather of this date at this market).',
    reasons: [
      {
        input: 'weather',
        status: 'check',
        text: 'Weather: climatology (the usual weather of this date at this market).',
      },
    ],
  },
  lines: [
    line({}),
    line({
      productId: '00000000-0000-4000-8000-000000000002',
      productName: '=HYPERLINK("x"), "Rye"',
      overrideQuantity: 12,
      effectiveQuantity: 12,
    }),
  ],
};

describe('prepListCsv', () => {
  it('writes a header and one quoted, formula-safe row per product', () => {
    const rows = prepListCsv(list).split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows[1]).toBe(
      '00000000-0000-4000-8000-000000000001,Sourdough,loaf,36,36,,20,30,41.5,0.7,28.25,19775,pooled,rich,Typical day 30,true,',
    );
    expect(rows[2]).toContain(',"\'=HYPERLINK(""x""), ""Rye""",loaf,12,36,12,');
    expect(rows).toHaveLength(4); // trailing CRLF
  });

  it('keeps out-of-season products, marked, with the reason', () => {
    const rows = prepListCsv({ ...list, lines: [...list.lines, strawberries] }).split('\r\n');
    expect(rows[3]).toBe(
      '00000000-0000-4000-8000-000000000003,Strawberries,loaf,0,0,,20,30,41.5,0.7,0,0,out-of-season,rich,Typical day 30,false,Not in season: last sold Sep 14; usually Jul-Sep',
    );
  });

  it('leaves the revenue of a product without a price empty (unknown), not 0', () => {
    const jam = line({ productName: 'Jam', expectedRevenueMinor: 0, priced: false });
    const [, bread, unpriced] = prepListCsv({ ...list, lines: [line({}), jam] }).split('\r\n');
    const revenueAt = CSV_COLUMNS.indexOf('expected_revenue_minor');
    expect(bread?.split(',')[revenueAt]).toBe('19775');
    expect(unpriced?.split(',')[revenueAt]).toBe('');
    expect(unpriced?.split(',')[revenueAt - 1]).toBe('28.25'); // expected sold stays
  });

  it('names the file after the market and date', () => {
    expect(exportFileName(list, 'csv')).toBe('prep-list-riverside-saturday-market-2026-11-28.csv');
    expect(exportFileName({ ...list, marketName: '"; rm' }, 'pdf')).toBe(
      'prep-list-rm-2026-11-28.pdf',
    );
  });
});

describe('packingLinesOf', () => {
  it('leaves out-of-season products off the packing sheet unless set by hand', () => {
    const withBerries = { ...list, lines: [...list.lines, strawberries] };
    const sheet = packingLinesOf(withBerries);
    expect(sheet.packed.map((l) => l.productName)).toEqual(['Sourdough', '=HYPERLINK("x"), "Rye"']);
    expect(sheet.outOfSeason.map((l) => l.productName)).toEqual(['Strawberries']);

    const broughtAnyway = packingLinesOf({
      ...list,
      lines: [{ ...strawberries, overrideQuantity: 4, effectiveQuantity: 4 }],
    });
    expect(broughtAnyway.packed.map((l) => l.productName)).toEqual(['Strawberries']);
    expect(broughtAnyway.outOfSeason).toEqual([]);
  });
});

/**
 * The text of each page of a pdfkit PDF, in page order: the page tree's kids, each page's content
 * stream inflated, the hex strings of each `TJ` joined (one shown string per line). Enough for
 * pdfkit's own output with the standard fonts; not a general PDF parser.
 */
function pageTexts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const object = (id: string) => {
    const match = new RegExp(`(?:^|\\n)${id} 0 obj\\n([\\s\\S]*?)\\nendobj`).exec(raw);
    if (!match?.[1]) throw new Error(`object ${id} not found`);
    return match[1];
  };
  const kids = /\/Type \/Pages\n\/Count \d+\n\/Kids \[([^\]]*)\]/.exec(raw)?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map(([, pageId]) => {
    const contents = /\/Contents (\d+) 0 R/.exec(object(pageId!))?.[1];
    const stream = /stream\n([\s\S]*)\nendstream/.exec(object(contents!))?.[1] ?? '';
    const operators = inflateSync(Buffer.from(stream, 'latin1')).toString('latin1');
    return [...operators.matchAll(/\[([^\]]*)\] TJ/g)]
      .map(([, array]) =>
        [...array!.matchAll(/<([0-9a-f]*)>/g)]
          .map(([, hex]) => Buffer.from(hex!, 'hex').toString('latin1'))
          .join(''),
      )
      .join('\n');
  });
}

describe('prepListPdf', () => {
  it('numbers every page "Page N of M" and keeps the totals with the last rows', async () => {
    const short = pageTexts(await prepListPdf(list, { timeZone: list.timezone }));
    expect(short).toHaveLength(1);
    expect(short[0]).toContain('Page 1 of 1');
    expect(short[0]).toContain('Riverside Saturday Market - Sat, Nov 28');
    expect(short[0]).toContain('Total: 48 to bring - expected revenue $197.75');
    expect(short[0]).toContain('Inputs: check before packing.');
    expect(short[0]).toContain('Weather: climatology');

    const long = pageTexts(
      await prepListPdf(
        {
          ...list,
          lines: Array.from({ length: 120 }, (_, i) => line({ productName: `Product ${i}` })),
        },
        { timeZone: list.timezone },
      ),
    );
    expect(long.length).toBeGreaterThan(2);
    long.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${long.length}`);
      expect(text).toContain('Product'); // the table header repeats
      expect(text.includes('Total: 48 to bring')).toBe(i === long.length - 1);
    });
    expect(long.at(-1)).toContain('Product 119 (loaf)');
  });

  it('never leaves the totals and notes alone on a last page, whatever the list length', async () => {
    // Each length moves the end of the table down a little, so one of them fills the page just
    // short of the totals and notes: they must take the last row along to the next page.
    for (let count = 24; count <= 44; count++) {
      const lines = Array.from({ length: count }, (_, i) =>
        line({ productName: `Product ${i}`, ...(i === 0 ? { overrideQuantity: 40 } : {}) }),
      );
      const pages = pageTexts(
        await prepListPdf(
          { ...list, lines: [...lines, strawberries] },
          { timeZone: list.timezone },
        ),
      );
      const last = pages.at(-1) ?? '';
      expect(last, `${count} rows`).toContain(`Product ${count - 1} (loaf)`);
      expect(last, `${count} rows`).toContain('Total: 48 to bring');
      expect(last, `${count} rows`).toContain('* set by hand');
      expect(last, `${count} rows`).toContain('Not in season, not to bring (1): Strawberries');
      expect(last, `${count} rows`).toContain(`Page ${pages.length} of ${pages.length}`);
    }
  });

  it('renders a PDF, continuing a long list on further pages', async () => {
    const short = await prepListPdf(list, { timeZone: list.timezone });
    expect(short.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pagesOf = (pdf: Buffer) =>
      (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    expect(pagesOf(short)).toBe(1);
    const withNotes = await prepListPdf(
      {
        ...list,
        coldStart: { note: 'Little or no history at this market yet.' },
        lines: [...list.lines, strawberries],
      },
      { timeZone: list.timezone },
    );
    expect(pagesOf(withNotes)).toBe(1);
    const long = await prepListPdf(
      {
        ...list,
        lines: Array.from({ length: 200 }, (_, i) => line({ productName: `Product ${i} 🍞` })),
      },
      { timeZone: list.timezone },
    );
    expect(pagesOf(long)).toBeGreaterThan(1);
  });

  it('says "no prices yet" for the expected revenue, not "$0.00", when no product has a price', async () => {
    const unpriced = (over: Partial<PrepList['lines'][number]>) =>
      line({ expectedRevenueMinor: 0, priced: false, ...over });
    const [none] = pageTexts(
      await prepListPdf(
        {
          ...list,
          totals: { effectiveQuantity: 48, expectedRevenueMinor: 0 },
          // An out-of-season product with a price is not on the sheet: it does not count.
          lines: [unpriced({}), unpriced({ productName: 'Jam' }), strawberries],
        },
        { timeZone: list.timezone },
      ),
    );
    expect(none).toContain('Total: 48 to bring - no prices yet');
    expect(none).not.toContain('$0.00');

    const [some] = pageTexts(
      await prepListPdf(
        { ...list, lines: [line({}), unpriced({ productName: 'Jam' })] },
        { timeZone: list.timezone },
      ),
    );
    expect(some).toContain(
      'Total: 48 to bring - expected revenue $197.75 (1 product has no price yet)',
    );
  });

  it('writes the market day and each product as the screen does: no ISO date, no unit twice', async () => {
    const [page] = pageTexts(
      await prepListPdf(
        {
          ...list,
          lines: [
            line({ productName: 'Eggs (6-pack)', unit: 'pack' }),
            line({ productName: 'Farm eggs (6-pack)', unit: '6-pack' }),
            line({ productName: 'Honey', unit: 'jar' }),
            line({ productName: 'Cookies', unit: 'each' }),
          ],
        },
        { timeZone: list.timezone },
      ),
    );
    expect(page).toContain('Riverside Saturday Market - Sat, Nov 28');
    expect(page).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(page).toContain('Eggs (6-pack)');
    expect(page).not.toMatch(/\(([^)]*)\) \(/);
    expect(page).toContain('Honey (jar)');
    expect(page).not.toContain('Cookies (each)');

    // A list for a day of next year says the year (the list was made in 2026).
    const [january] = pageTexts(
      await prepListPdf({ ...list, date: '2027-01-02' }, { timeZone: list.timezone }),
    );
    expect(january).toContain('Riverside Saturday Market - Sat, Jan 2, 2027');
  });
});
