/**
 * Lighthouse bench (issue 6, Quality): the dashboard and a prep-list page of the seeded demo
 * vendor, audited with the installed `lighthouse` (v12) in Debian's Chromium, mobile form factor
 * (Lighthouse's default simulated throttling). Prints the performance and accessibility scores
 * against the targets (performance >= 90, accessibility >= 95) and the main opportunities.
 *
 *   npx tsx bench/lighthouse.ts                                   # starts the app like the e2e tests
 *   LIGHTHOUSE_BASE_URL=http://127.0.0.1:3000 npx tsx bench/lighthouse.ts   # an app already running
 *   npx tsx bench/lighthouse.ts --runs 5                          # 5 audits per page (default 3)
 *
 * Lighthouse's own guidance on variability: one run's performance score swings by several points
 * (here mostly through Total Blocking Time), so each page is audited `--runs` times (default 3),
 * every run is printed, and the page is judged on the median run, as Lighthouse CI does.
 *
 * Without LIGHTHOUSE_BASE_URL it runs `scripts/start.ts` (embedded PostgreSQL, demo seed, api +
 * worker + web) on ports of its own (LIGHTHOUSE_WEB_PORT 3340, LIGHTHOUSE_API_PORT 4340,
 * LIGHTHOUSE_DATABASE_PORT 54640) with a fresh data directory, and stops it at the end. Signs in as
 * the demo user through POST /v1/auth/login and sends the session cookie with every request.
 * Exits non-zero when a score misses its target. LIGHTHOUSE_REPORT_DIR=<dir> also writes each
 * page's full report there (`<page>.report.json`, for the Lighthouse viewer or a closer look).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { DEMO_LOGIN, REPO_ROOT } from '../packages/db/src';
import { freePorts } from '@marketprep/db/ports';

const TARGETS = { performance: 90, accessibility: 95 } as const;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a whole number >= 1');
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface PageScores {
  name: string;
  url: string;
  performance: number;
  accessibility: number;
  opportunities: string[];
  metrics: string[];
  /** Total Blocking Time in ms: the metric that varies most between runs. */
  tbtMs: number;
}

/** The median run by performance score (the lower middle one for an even count). */
function medianRun<T extends { performance: number }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.performance - b.performance);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('no runs');
  return median;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

/** Busy and total CPU time of the whole machine so far (/proc/stat, all cores, in ticks). */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet: less than 15% of its CPU busy over 3 s. A freshly started demo
 * trains its model and fetches forecasts in the worker for a while; Lighthouse's simulated
 * throttling scales what the browser's main thread measures, so an audit beside that work
 * reports the worker, not the page. Gives up (and says so) after `timeoutMs`.
 */
async function waitForQuietMachine(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = cpuTicks();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = cpuTicks();
    const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    if (busy < 0.15) return;
  }
  console.log(`(the machine stayed busy for ${timeoutMs / 1000} s; auditing anyway)`);
}

/** Starts the app the way `npm start` (and the e2e config) does; returns its web origin. */
async function startApp(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const [freeWeb, freeApi, freeDatabase] = await freePorts(3);
  const webPort = process.env.LIGHTHOUSE_WEB_PORT ?? String(freeWeb);
  const apiPort = process.env.LIGHTHOUSE_API_PORT ?? String(freeApi);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketprep-lighthouse-'));
  const child: ChildProcess = spawn(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/start.ts'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        WEB_PORT: webPort,
        API_PORT: apiPort,
        EMBEDDED_DATABASE_PORT: process.env.LIGHTHOUSE_DATABASE_PORT ?? String(freeDatabase),
        MARKETPREP_DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: '',
        REDIS_URL: '',
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  console.log('starting the app (embedded PostgreSQL, demo seed, web build if needed)…');
  try {
    await Promise.race([
      waitFor(`http://127.0.0.1:${apiPort}/health/ready`, 300_000),
      exited.then(() => Promise.reject(new Error('the app stopped during start-up'))),
    ]);
    await waitFor(`http://127.0.0.1:${webPort}/`, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${webPort}`, stop };
}

/** Signs in as the demo user; returns the Cookie header value. */
async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_LOGIN.email, password: DEMO_LOGIN.password }),
  });
  if (!response.ok) throw new Error(`demo sign-in failed: HTTP ${response.status}`);
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('mp_session='));
  if (!session) throw new Error('demo sign-in set no mp_session cookie');
  return session;
}

/** The prep list of the next market day of the demo vendor (or the prep-list index). */
async function prepListPath(baseUrl: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/insights/go-no-go?days=14`, {
    headers: { cookie },
  });
  if (!response.ok) return '/prep-list';
  const body = (await response.json()) as { data: { marketId: string; date: string }[] };
  const next = body.data[0];
  return next ? `/prep-list/${next.marketId}/${next.date}` : '/prep-list';
}

/** A run Lighthouse could not score; `code` is its runtime error code (e.g. NO_NAVSTART). */
class AuditError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function audit(
  port: number,
  name: string,
  run: number,
  url: string,
  cookie: string,
): Promise<PageScores> {
  // Warm the server (first render, data caches) so the audit measures a steady state.
  await fetch(url, { headers: { cookie } }).then((r) => r.arrayBuffer());
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    formFactor: 'mobile',
    extraHeaders: { Cookie: cookie },
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  const reportDir = process.env.LIGHTHOUSE_REPORT_DIR;
  if (reportDir) {
    mkdirSync(reportDir, { recursive: true });
    const file = path.join(reportDir, `${name.replace(/\W+/g, '-')}-${run}.report.json`);
    writeFileSync(file, JSON.stringify(lhr));
  }
  if (lhr.runtimeError) {
    throw new AuditError(`${name}: ${lhr.runtimeError.message}`, lhr.runtimeError.code);
  }
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const opportunities = Object.values(lhr.audits)
    .filter(
      (a) =>
        (a.details?.type === 'opportunity' || a.metricSavings) &&
        a.score !== null &&
        a.score < 0.9 &&
        a.scoreDisplayMode !== 'informative' &&
        a.scoreDisplayMode !== 'notApplicable',
    )
    .map((a) => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`);
  const metrics = [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'speed-index',
  ].map((id) => `${lhr.audits[id]?.title ?? id} ${lhr.audits[id]?.displayValue ?? '?'}`);
  return {
    name,
    url: lhr.finalDisplayedUrl,
    performance: score('performance'),
    accessibility: score('accessibility'),
    opportunities,
    metrics,
    tbtMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
  };
}

async function main(): Promise<void> {
  const given = process.env.LIGHTHOUSE_BASE_URL?.replace(/\/$/, '');
  const app = given ? { baseUrl: given, stop: () => Promise.resolve() } : await startApp();
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  let failed = false;
  try {
    const cookie = await signIn(app.baseUrl);
    const prepList = await prepListPath(app.baseUrl, cookie);
    const pages = [
      { name: 'dashboard', path: '/dashboard' },
      { name: 'prep list', path: prepList },
    ];
    const results: PageScores[] = [];
    for (const page of pages) {
      const runs: PageScores[] = [];
      for (let run = 1; run <= RUNS; run += 1) {
        // A fresh Chromium per run: a reused one sometimes records no navigation (NO_NAVSTART).
        // A fresh one still does now and then (a trace without the navigation, nothing about the
        // page): such a run is recorded again, up to twice, rather than ending the whole bench.
        for (let attempt = 1; ; attempt += 1) {
          await waitForQuietMachine(180_000);
          chrome = await chromeLauncher.launch({
            chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
            chromeFlags: CHROME_FLAGS,
          });
          const url = `${app.baseUrl}${page.path}`;
          try {
            runs.push(await audit(chrome.port, page.name, run, url, cookie));
            break;
          } catch (error) {
            if (!(error instanceof AuditError && error.code === 'NO_NAVSTART') || attempt === 3) {
              throw error;
            }
            console.log(`(${page.name} run ${run}: ${error.message}; recording it again)`);
          } finally {
            chrome.kill();
            chrome = undefined;
          }
        }
      }
      console.log(
        `${page.name}: performance ${runs.map((r) => r.performance).join(' / ')}, ` +
          `TBT ${runs.map((r) => r.tbtMs).join(' / ')} ms, ` +
          `accessibility ${runs.map((r) => r.accessibility).join(' / ')}`,
      );
      results.push(medianRun(runs));
    }
    console.log(
      `\nLighthouse ${lighthouseVersion()} (mobile, simulated throttling), median of ${RUNS} run(s)\n`,
    );
    for (const r of results) {
      const perfOk = r.performance >= TARGETS.performance;
      const a11yOk = r.accessibility >= TARGETS.accessibility;
      failed ||= !perfOk || !a11yOk;
      console.log(`${r.name}: ${r.url}`);
      console.log(
        `  performance   ${r.performance} (target >= ${TARGETS.performance}) ${perfOk ? 'ok' : 'MISSED'}`,
      );
      console.log(
        `  accessibility ${r.accessibility} (target >= ${TARGETS.accessibility}) ${a11yOk ? 'ok' : 'MISSED'}`,
      );
      console.log(`  ${r.metrics.join(' · ')}`);
      if (r.opportunities.length) {
        console.log(`  opportunities: ${r.opportunities.slice(0, 6).join('; ')}`);
      }
    }
  } finally {
    chrome?.kill();
    await app.stop();
  }
  if (failed) process.exitCode = 1;
}

function lighthouseVersion(): string {
  const file = path.join(REPO_ROOT, 'node_modules', 'lighthouse', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
