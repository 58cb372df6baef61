'use strict';
// autocannon setupRequest for bench/api-load.ts in worker mode: each request takes the next path
// of BENCH_ROTATE_PATHS (comma-separated), so reads spread over many resources.
const paths = (process.env.BENCH_ROTATE_PATHS ?? '').split(',').filter(Boolean);
let next = 0;

module.exports = (request) => ({ ...request, path: paths[next++ % paths.length] });
