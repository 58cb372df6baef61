import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Browser tests run against the app started exactly the way `npm start` starts it (embedded
// PostgreSQL, demo seed, api + worker + web), on ports of their own and with a fresh data
// directory, in Debian's Chromium (never a downloaded browser).
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
const API_PORT = Number(process.env.E2E_API_PORT ?? 4100);
const DB_PORT = Number(process.env.E2E_DATABASE_PORT ?? 54400);
// The worker's provider-fakes control (demo mode), which the admin outage test switches; the
// specs read the port from the environment.
const FAKES_CONTROL_PORT = Number(process.env.E2E_FAKES_CONTROL_PORT ?? 4190);
process.env.E2E_FAKES_CONTROL_PORT = String(FAKES_CONTROL_PORT);
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
