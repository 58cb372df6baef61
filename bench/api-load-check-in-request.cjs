'use strict';
// autocannon setupRequest for bench/api-load.ts in worker mode (functions cannot cross threads):
// a fresh clientSubmissionId per request, product ids from BENCH_CHECK_IN_PRODUCTS, and, when
// BENCH_CHECK_IN_PATHS lists several market days' check-in paths, the next one of them each time.
const { randomUUID } = require('node:crypto');

const products = (process.env.BENCH_CHECK_IN_PRODUCTS ?? '').split(',').filter(Boolean);
const paths = (process.env.BENCH_CHECK_IN_PATHS ?? '').split(',').filter(Boolean);
let next = 0;

module.exports = (request) => ({
  ...request,
  ...(paths.length > 0 ? { path: paths[next++ % paths.length] } : {}),
  body: JSON.stringify({
    clientSubmissionId: randomUUID(),
    lines: products.map((productId, i) => ({
      productId,
      brought: 20 + i,
      sold: 15 + i,
      leftOver: 5,
      wasted: 1,
      donated: 2,
      rating: 4,
    })),
  }),
});
