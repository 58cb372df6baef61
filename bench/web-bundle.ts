/**
 * First-load JavaScript per page of the web app, from the last `next build` (issue 6, Quality).
 * Next.js 16 no longer prints sizes after the build; it writes the chunks each route loads first
 * to `apps/web/.next/diagnostics/route-bundle-stats.json`. This adds them up, gzip-compressed
 * (level 9, about what the server sends) and raw.
 *
 *   npm run build && npx tsx bench/web-bundle.ts            # every route
 *   npx tsx bench/web-bundle.ts /dashboard /prep-list/[marketId]/[date]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../packages/db/src';

interface RouteBundleStats {
  route: string;
  firstLoadUncompressedJsBytes: number;
  firstLoadChunkPaths: string[];
}

const WEB = path.join(REPO_ROOT, 'apps', 'web');
const STATS = path.join(WEB, '.next', 'diagnostics', 'route-bundle-stats.json');

function main(): void {
  if (!existsSync(STATS)) {
    throw new Error(`${path.relative(REPO_ROOT, STATS)} is missing: run \`npm run build\` first.`);
  }
  const only = process.argv.slice(2);
  const routes = (JSON.parse(readFileSync(STATS, 'utf8')) as RouteBundleStats[])
    .filter((entry) => only.length === 0 || only.includes(entry.route))
    .sort((a, b) => a.route.localeCompare(b.route));
  const gzipped = new Map<string, number>();
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log('First-load JavaScript per route (gzip -9 / raw):\n');
  for (const entry of routes) {
    let total = 0;
    for (const chunk of entry.firstLoadChunkPaths) {
      let size = gzipped.get(chunk);
      if (size === undefined) {
        size = gzipSync(readFileSync(path.join(WEB, chunk)), { level: 9 }).length;
        gzipped.set(chunk, size);
      }
      total += size;
    }
    console.log(
      `  ${entry.route.padEnd(32)} ${kib(total).padStart(10)}  ${kib(entry.firstLoadUncompressedJsBytes).padStart(10)}`,
    );
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
