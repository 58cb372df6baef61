/**
 * Speed bench for the demand engine (issue 3): fit one vendor with 200 products x 4 markets x 3
 * years of weekly market days, store the model as JSON, reload it and answer a prep list for one
 * market day. Prints figures; not a timed test.
 *
 *   npx tsx bench/forecast-fit.ts
 */
import {
  addDays,
  deserializeModel,
  predictDemand,
  serializeModel,
  trainDemandModel,
} from '../packages/forecast/src';
import { createSyntheticVendor } from '../packages/forecast/src/testing/synthetic-vendor';

const vendor = createSyntheticVendor({
  seed: 42,
  products: 200,
  markets: 4,
  start: '2021-01-02',
  days: 3 * 364,
  weekdays: [5],
});

const fitStarted = performance.now();
const model = trainDemandModel({ sales: vendor.sales, covariates: vendor.covariates });
const fitSeconds = (performance.now() - fitStarted) / 1000;
const json = serializeModel(model);

const planDate = addDays(model.trainedThrough, 7);
const requests = Array.from({ length: 200 }, (_, p) => ({
  date: planDate,
  market: 'market-0',
  product: `product-${p}`,
}));
const covariates = [
  { date: planDate, market: 'market-0', weather: { temp_c: 18, precip_mm: 3 }, flags: {} },
];

const timings: number[] = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const reloaded = deserializeModel(json);
  const list = predictDemand({ model: reloaded, requests, covariates });
  timings.push(performance.now() - started);
  if (list.length !== requests.length) throw new Error('prep list is incomplete');
}
timings.sort((a, b) => a - b);

const allMarkets = ['market-0', 'market-1', 'market-2', 'market-3'].flatMap((market) =>
  requests.map((r) => ({ ...r, market })),
);
const allStarted = performance.now();
predictDemand({ model: deserializeModel(json), requests: allMarkets });
const allMs = performance.now() - allStarted;

console.log(
  `sales rows: ${vendor.sales.length} (200 products x 4 markets x 156 weekly market days)`,
);
console.log(`fit: ${fitSeconds.toFixed(2)} s (target < 30 s, one core)`);
console.log(`model JSON: ${(json.length / 1024).toFixed(0)} KiB`);
console.log(
  `prep list, one market day (200 products), reload + predict: median ${(timings[2] ?? 0).toFixed(0)} ms, worst ${(timings[4] ?? 0).toFixed(0)} ms (target < 300 ms)`,
);
console.log(`prep list, all 4 markets (800 rows), reload + predict: ${allMs.toFixed(0)} ms`);
