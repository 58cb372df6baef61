import { inflateSync } from 'node:zlib';
import type { WeekPlan, WeekPlanDay, WeekPlanProduct } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { weekPlanFileName, weekPlanPdf } from './week-plan-pdf';

/** Each page's shown strings (pdfkit's own output; as prep-list-export.test.ts reads it). */
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

const SAT = '00000000-0000-4000-8000-000000000011';
const SUN = '00000000-0000-4000-8000-000000000012';

const day = (over: Partial<WeekPlanDay>): WeekPlanDay => ({
  marketDayId: SAT,
  marketId: '00000000-0000-4000-8000-000000000021',
  marketName: 'Riverside',
  date: '2026-07-11',
  deadlineAt: '2026-07-11T01:00:00.000Z',
  frozen: false,
  frozenAt: null,
  prepQuantity: 40,
  preOrders: 0,
  standingMinimum: 0,
  carriedOver: 0,
  carriedExpected: 0,
  makeUncapped: 40,
  make: 40,
  cut: 0,
  bring: 40,
  preOrdersShort: 0,
  expectedSold: 35,
  expectedRevenueMinor: 28000,
  expectedLeftover: 5,
  expectedProfitMinor: 18000,
  cutProfitMinor: 0,
  rain: null,
  ...over,
});

const product = (name: string, days: WeekPlanDay[], over: Partial<WeekPlanProduct> = {}) => ({
  productId: '00000000-0000-4000-8000-000000000031',
  productName: name,
  unit: 'loaf',
  batchSize: 1,
  capacity: null,
  totalMake: days.reduce((sum, d) => sum + d.make, 0),
  totalCut: 0,
  carriedOverUnused: 0,
  capacityBound: false,
  priced: true,
  costed: true,
  cutNote: null,
  days,
  ...over,
});

const plan: WeekPlan = {
  from: '2026-07-06',
  to: '2026-07-12',
  generatedAt: '2026-07-08T12:00:00.000Z',
  marketDays: [
    {
      marketDayId: SAT,
      marketId: '00000000-0000-4000-8000-000000000021',
      marketName: 'Riverside',
      date: '2026-07-11',
      timezone: 'America/Chicago',
      rain: { precipProb: 0.6, precipMm: 4 },
      closingHoliday: null,
    },
    {
      marketDayId: SUN,
      marketId: '00000000-0000-4000-8000-000000000021',
      marketName: 'Riverside',
      date: '2026-07-12',
      timezone: 'America/Chicago',
      rain: null,
      closingHoliday: null,
    },
  ],
  products: [
    product(
      'Sourdough',
      [
        day({
          make: 36,
          cut: 4,
          bring: 36,
          frozen: true,
          rain: {
            precipProb: 0.6,
            precipMm: 4,
            prepQuantity: 28,
            make: 28,
            bring: 28,
            expectedSold: 26,
            expectedRevenueMinor: 20800,
            expectedProfitMinor: 13000,
            revenueDifferenceMinor: -7200,
            profitDifferenceMinor: -2550,
            planProfitIfRainMinor: 11000,
          },
        }),
        day({ marketDayId: SUN, date: '2026-07-12', preOrders: 5, carriedOver: 3, bring: 43 }),
      ],
      { cutNote: 'You can make 76 loaves a week: 4 fewer for Riverside on Sat, Jul 11.' },
    ),
    product('Strawberries', [day({ make: 0, bring: 0, prepQuantity: 0 })]),
  ],
  totals: { make: 76, bring: 79, expectedRevenueMinor: 56000, expectedProfitMinor: 36000 },
};

describe('weekPlanPdf', () => {
  it("prints the kitchen's sheet: rows per market day, frozen days, the rain plan, the cut and the idle products", async () => {
    const pdf = await weekPlanPdf(plan);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pageTexts(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain("This week's plan");
    expect(text).toContain('Mon, Jul 6 - Sun, Jul 12: 2 market days, make 76, bring 79');
    expect(text).toContain('Rain forecast: Riverside Sat, Jul 11 (60%, 4 mm)');
    expect(text).toContain('Sourdough (loaf)');
    expect(text).toContain('Riverside, Sat, Jul 11');
    // 01:00 UTC on Jul 11 is Friday 20:00 in Chicago.
    expect(text).toContain('Fri 8:00 PM (frozen)');
    expect(text).toContain('bring 28, profit -$25.50');
    expect(text).toContain('-4');
    expect(text).toContain('Sourdough: You can make 76 loaves a week: 4 fewer for Riverside');
    expect(text).toContain('Nothing to make or bring this week: Strawberries.');
    expect(text).toContain('Page 1 of 1');
  });

  it('leaves the profit out of the rain plan of a product without a price (as the screen does)', async () => {
    const sourdough = plan.products[0]!;
    const [text] = pageTexts(
      await weekPlanPdf({ ...plan, products: [{ ...sourdough, priced: false }] }),
    );
    expect(text).toContain('bring 28');
    expect(text).not.toContain('bring 28, profit');
  });

  it('continues a long plan on further pages, every page numbered', async () => {
    const long: WeekPlan = {
      ...plan,
      products: Array.from({ length: 40 }, (_, i) =>
        product(`Product ${i}`, [day({}), day({ marketDayId: SUN, date: '2026-07-12' })]),
      ),
    };
    const pages = pageTexts(await weekPlanPdf(long));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).toContain('Decide by');
    });
    expect(pages.at(-1)).toContain('Product 39 (loaf)');
    expect(weekPlanFileName(plan)).toBe('week-plan-2026-07-06.pdf');
  });
});
