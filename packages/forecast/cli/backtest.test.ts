import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const fixture = join(here, 'fixtures', 'small');

function runCli(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(here, 'backtest.ts'), ...args],
    { encoding: 'utf8', cwd: root },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('backtest CLI', () => {
  it('writes exactly the contracted prediction file and a summary', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'backtest-')), 'pred.csv');
    const result = runCli(['--data', fixture, '--from', '2023-03-01', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('date,market,product,q0.1,q0.5,q0.9,recommended,model');
    const salesRows = readFileSync(join(fixture, 'sales.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .filter((line) => line.slice(0, 10) >= '2023-03-01');
    expect(lines).toHaveLength(salesRows.length + 1);
    for (const line of lines.slice(1)) {
      const fields = line.split(',');
      expect(fields).toHaveLength(8);
      const [date, market, , q10, q50, q90, recommended, model] = fields;
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(market).toBe('square');
      const numbers = [q10, q50, q90, recommended].map(Number);
      expect(numbers.every(Number.isFinite)).toBe(true);
      expect(numbers[0]).toBeLessThanOrEqual(numbers[1] ?? 0);
      expect(numbers[1]).toBeLessThanOrEqual(numbers[2] ?? 0);
      expect(['pooled', 'thin', 'cold-start', 'closed']).toContain(model);
    }
    expect(lines.filter((line) => line.startsWith('2023-03-01,'))).toEqual([
      '2023-03-01,square,sourdough,0,0,0,0,closed',
      '2023-03-01,square,croissant,0,0,0,0,closed',
    ]);
    expect(result.stdout).toMatch(/relative scaled pinball \(engine \/ rule\): \d+\.\d{3}/);
    expect(result.stdout).toMatch(/\| rule of thumb \| \d+\.\d{3} \| \d+\.\d{3} \| \d+\.\d{3} \|/);
  });

  it('keeps one weekday with --weekday (Monday = 0)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'backtest-')), 'pred.csv');
    const result = runCli([
      '--data',
      fixture,
      '--from',
      '2023-03-01',
      '--weekday',
      '5',
      '--out',
      out,
    ]);
    expect(result.status).toBe(0);
    const dates = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(0, 10));
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(6);
  });

  it('fails with file, line and column on a malformed dataset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtest-bad-'));
    for (const name of ['sales.csv', 'calendar.csv', 'events.csv']) {
      copyFileSync(join(fixture, name), join(dir, name));
    }
    const weather = readFileSync(join(fixture, 'weather.csv'), 'utf8').split('\n');
    weather[5] = weather[5]?.replace(/,[^,]*$/, ',lots') ?? '';
    writeFileSync(join(dir, 'weather.csv'), weather.join('\n'));
    const result = runCli(['--data', dir, '--from', '2023-03-01', '--out', join(dir, 'p.csv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `backtest: ${join(dir, 'weather.csv')}: line 6, column 5: footfall "lots" is not a number\n`,
    );
  });

  it('explains a usage error', () => {
    const result = runCli(['--data', fixture, '--from', '2023-02-30', '--out', 'x.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--from must be a YYYY-MM-DD date/);
  });
});
