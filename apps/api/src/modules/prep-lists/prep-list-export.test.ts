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
  totals: { effectiveQuantity: 48, expectedRevenueMinor: 19775 },
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

describe('prepListPdf', () => {
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
});
