/**
 * Backtest CLI (issue 3): reads a dataset folder, runs the rolling backtest without look-ahead and
 * writes one forecast row per sales row, then prints the engine beside the vendor's rule of thumb.
 *
 *   npm run backtest -- --data DIR --from YYYY-MM-DD [--to YYYY-MM-DD] [--lead-days 1]
 *     [--critical-ratio 0.7] [--retrain-days 7] [--weekday 0-6] --out PRED.csv
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BacktestResult, MarketDayCovariates } from '../src';
import {
  DatasetError,
  isCalendarDate,
  parseCalendarCsv,
  parseEventsCsv,
  parseSalesCsv,
  parseWeatherCsv,
  runBacktest,
} from '../src';

/** Header of the prediction file; fixed by the contract. */
const PREDICTION_HEADER = 'date,market,product,q0.1,q0.5,q0.9,recommended,model';

class UsageError extends Error {}

interface CliOptions {
  data: string;
  from: string;
  to: string | undefined;
  leadDays: number;
  criticalRatio: number;
  retrainDays: number;
  weekday: number | undefined;
  out: string;
}

function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'lead-days': { type: 'string', default: '1' },
      'critical-ratio': { type: 'string', default: '0.7' },
      'retrain-days': { type: 'string', default: '7' },
      weekday: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const required = (name: 'data' | 'from' | 'out'): string => {
    const value = values[name];
    if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
    return value;
  };
  const date = (name: string, value: string): string => {
    if (!isCalendarDate(value))
      throw new UsageError(`--${name} must be a YYYY-MM-DD date, got "${value}"`);
    return value;
  };
  const integer = (name: string, value: string, min: number, max: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
  const ratio = Number(values['critical-ratio']);
  if (!(ratio > 0 && ratio < 1)) {
    throw new UsageError(
      `--critical-ratio must be between 0 and 1, got "${values['critical-ratio']}"`,
    );
  }
  return {
    data: required('data'),
    from: date('from', required('from')),
    to: values.to === undefined ? undefined : date('to', values.to),
    leadDays: integer('lead-days', values['lead-days'], 0, 365),
    criticalRatio: ratio,
    retrainDays: integer('retrain-days', values['retrain-days'], 1, 3650),
    weekday: values.weekday === undefined ? undefined : integer('weekday', values.weekday, 0, 6),
    out: required('out'),
  };
}

/** Reads the dataset folder: `sales.csv` required, the covariate files when present. */
function readDataset(dir: string): {
  sales: ReturnType<typeof parseSalesCsv>;
  covariates: MarketDayCovariates[];
} {
  const salesPath = join(dir, 'sales.csv');
  if (!existsSync(salesPath))
    throw new UsageError(`${salesPath} not found (sales.csv is required)`);
  const read = (name: string): string | undefined => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const sales = parseSalesCsv(readFileSync(salesPath, 'utf8'), salesPath);
  const covariates: MarketDayCovariates[] = [];
  const weather = read('weather.csv');
  if (weather !== undefined) covariates.push(...parseWeatherCsv(weather, join(dir, 'weather.csv')));
  const calendar = read('calendar.csv');
  if (calendar !== undefined)
    covariates.push(...parseCalendarCsv(calendar, join(dir, 'calendar.csv')));
  const events = read('events.csv');
  if (events !== undefined) covariates.push(...parseEventsCsv(events, join(dir, 'events.csv')));
  return { sales, covariates };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(6))) : '0';
}

/** The prediction file's text: the fixed header and one row per forecast sales row. */
function formatPredictions(result: BacktestResult): string {
  const lines = [PREDICTION_HEADER];
  for (const p of result.predictions) {
    lines.push(
      [
        p.date,
        csvField(p.market),
        csvField(p.product),
        formatNumber(p.q10),
        formatNumber(p.q50),
        formatNumber(p.q90),
        formatNumber(p.recommended),
        p.model,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The printed summary: engine beside the rule of thumb. */
function formatSummary(result: BacktestResult, seconds: number): string {
  const { score } = result;
  const f = (value: number): string => value.toFixed(3);
  return [
    '| method | scaled pinball (P10/P50/P90) | P10-P90 coverage | critical-ratio pinball |',
    '|---|---|---|---|',
    `| engine | ${f(score.engine.scaledPinball)} | ${f(score.engine.coverage)} | ${f(score.engine.criticalPinball)} |`,
    `| rule of thumb | ${f(score.rule.scaledPinball)} | ${f(score.rule.coverage)} | ${f(score.rule.criticalPinball)} |`,
    '',
    `relative scaled pinball (engine / rule): ${f(score.relativePinball)}`,
    `relative critical-ratio pinball (engine / rule): ${f(score.relativeCriticalPinball)}`,
    `rows: ${score.rows}, trainings: ${result.trainings}, runtime: ${seconds.toFixed(1)} s`,
  ].join('\n');
}

function main(argv: readonly string[]): number {
  const started = performance.now();
  let options: CliOptions;
  try {
    options = parseCli(argv);
    const dataset = readDataset(options.data);
    const result = runBacktest({
      sales: dataset.sales,
      covariates: dataset.covariates,
      from: options.from,
      ...(options.to === undefined ? {} : { to: options.to }),
      leadDays: options.leadDays,
      criticalRatio: options.criticalRatio,
      retrainDays: options.retrainDays,
      ...(options.weekday === undefined ? {} : { weekday: options.weekday }),
    });
    writeFileSync(options.out, formatPredictions(result));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${formatSummary(result, seconds)}\nwrote ${options.out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DatasetError || error instanceof UsageError) {
      process.stderr.write(`backtest: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError && 'code' in error) {
      process.stderr.write(`backtest: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
