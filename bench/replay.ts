/**
 * Speed bench of "your last season, replayed" (issue 22): the replay the worker's replay-vendor
 * job runs, on a vendor of 30 products x 3 markets x two years of market days (the demo's size:
 * Wednesdays, Saturdays and Sundays), replaying the last `--months` (default 12) with a weekly
 * retrain as the app does. Prints the time and the totals; not a timed test.
 *
 *   npx tsx bench/replay.ts [--months 12] [--retrain-days 7]
 */
import { addDays, replaySeason } from '../packages/forecast/src';
import { createSyntheticVendor } from '../packages/forecast/src/testing/synthetic-vendor';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const months = arg('months', 12);
const retrainDays = arg('retrain-days', 7);

const start = '2024-12-07';
const days = 2 * 364;
const vendor = createSyntheticVendor({
  seed: 22,
  products: 30,
  markets: 3,
  start,
  days,
  weekdays: [2, 5, 6],
});
// Each product priced $3-$12 with a 25-45% cost; every third market day has a check-in with
// "brought" (the rest are compared to the rule only), and a tenth of those sold out.
const products = Array.from({ length: 30 }, (_, p) => {
  const price = 300 + ((p * 37) % 900);
  return {
    product: `product-${p}`,
    price,
    unitCost: Math.round(price * (0.25 + ((p * 13) % 20) / 100)),
    salvageValue: 0,
  };
});
const sales = vendor.sales.map((s, i) => {
  if (i % 3 !== 0) return s;
  const brought = i % 30 === 0 ? s.quantity : Math.ceil(s.quantity * 1.2 + 1);
  return { ...s, brought };
});
const last = addDays(start, days - 1);
const from = addDays(last, -Math.round(months * 30.4));

const started = performance.now();
let reported = 0;
const result = replaySeason({
  sales,
  covariates: vendor.covariates,
  products,
  from,
  to: last,
  retrainDays,
  onProgress: (done) => {
    if (done - reported >= 0.25 || done === 1) {
      reported = done;
      console.log(
        `  ${Math.round(done * 100)}% after ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  },
});
const seconds = (performance.now() - started) / 1000;
const dollars = (cents: number) => `$${(cents / 100).toFixed(0)}`;
const t = result.totals;
console.log(
  `replay: ${vendor.sales.length} sale rows (30 products x 3 markets x 2 years), last ${months} months ` +
    `(${from}..${last}): ${t.days} market days, ${t.productDays} product-days, ${result.trainings} trainings ` +
    `in ${seconds.toFixed(1)} s (${((seconds / result.trainings) * 1000).toFixed(0)} ms per training)`,
);
console.log(
  `  vs rule of thumb: net ${dollars(t.vsRule.net)} (${dollars(t.vsRule.netLow)}..${dollars(t.vsRule.netHigh)}), ` +
    `waste avoided ${dollars(t.vsRule.wasteAvoided)}, sales recovered ${dollars(t.vsRule.salesRecovered)}`,
);
console.log(
  `  vs brought (${t.vsBrought.productDays} product-days): net ${dollars(t.vsBrought.net)} ` +
    `(${dollars(t.vsBrought.netLow)}..${dollars(t.vsBrought.netHigh)}); ${t.censoredProductDays} sold-out product-days`,
);
