'use strict';
// autocannon setupRequest for bench/api-load.ts in worker mode (functions cannot cross threads):
// a fresh clientSubmissionId per request, product ids from BENCH_CHECK_IN_PRODUCTS.
const { randomUUID } = require('node:crypto');

const products = (process.env.BENCH_CHECK_IN_PRODUCTS ?? '').split(',').filter(Boolean);

module.exports = (request) => ({
  ...request,
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
