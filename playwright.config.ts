import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { freePorts } from '@marketprep/db/ports';

// Browser tests run against the app started exactly the way `npm start` starts it (embedded
// PostgreSQL, demo seed, api + worker + web), on ports of their own and with a fresh data
// directory, in Debian's Chromium (never a downloaded browser).
//
// Each port is one the OS hands out (listen(0)) unless E2E_*_PORT names it: a fixed port was once
// taken by another process on a busy CI machine and the run failed before its first test. Playwright
// loads this file again in every worker process, so the first load writes its choices into the
// environment that the workers (and the specs, for the fakes' control port) inherit.
const unset = [
  'E2E_WEB_PORT',
  'E2E_API_PORT',
  'E2E_DATABASE_PORT',
  'E2E_FAKES_CONTROL_PORT',
].filter((name) => !process.env[name]);
const chosen = await freePorts(unset.length);
unset.forEach((name, i) => (process.env[name] = String(chosen[i])));
const WEB_PORT = Number(process.env.E2E_WEB_PORT);
const API_PORT = Number(process.env.E2E_API_PORT);
const DB_PORT = Number(process.env.E2E_DATABASE_PORT);
// The worker's provider-fakes control (demo mode), which the admin outage test switches.
const FAKES_CONTROL_PORT = Number(process.env.E2E_FAKES_CONTROL_PORT);
// A fresh embedded cluster per run. Playwright loads this file again in every worker process, so
// only the first load (no E2E_DATA_DIR yet) wipes old runs and picks the directory; workers
// inherit it through the environment.
if (!process.env.E2E_DATA_DIR) {
  const runs = path.resolve('.marketprep/e2e-runs');
  rmSync(runs, { recursive: true, force: true });
  mkdirSync(runs, { recursive: true });
  process.env.E2E_DATA_DIR = mkdtempSync(path.join(runs, 'run-'));
}
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: 'apps/web/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'mobile', use: { ...devices['Pixel 5'], viewport: { width: 375, height: 812 } } },
    { name: 'desktop', use: { ...devices['Desktop Chrome'] } },
  ],
  webServer: {
    command: 'npx tsx scripts/start.ts',
    url: `http://127.0.0.1:${API_PORT}/health/ready`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      WEB_PORT: String(WEB_PORT),
      API_PORT: String(API_PORT),
      EMBEDDED_DATABASE_PORT: String(DB_PORT),
      PROVIDER_FAKES_CONTROL_PORT: String(FAKES_CONTROL_PORT),
      MARKETPREP_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
  },
});
