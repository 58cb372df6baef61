/**
 * The alert rules (ops/prometheus/alerts.yml) and the dashboard (ops/grafana/marketprep.json)
 * use only series the code registers: the API's and the worker's registries as built in
 * production (Node's default metrics included), plus what Prometheus adds itself (`up`). A
 * renamed metric fails here instead of silently never alerting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DatabaseClient } from '@marketprep/db';
import { BreakerRegistry } from '@marketprep/integrations';
import type { Registry } from 'prom-client';
import { createApiMetrics } from '../apps/api/src/plugins/metrics';
import { createWorkerMetrics } from '../apps/worker/src/observability/metrics';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Series Prometheus adds to every target. */
const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * Metric names in a PromQL expression: identifiers outside strings, label matchers, ranges and
 * grouping clauses that are neither functions nor keywords.
 */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/(^|[^a-zA-Z0-9_:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, '$1 ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (!name || call || PROMQL_WORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * Every series name a registry exposes (histograms as _bucket, _sum and _count), read without
 * collecting: the worker's outbox gauges query PostgreSQL when collected.
 */
function seriesOf(registry: Registry): string[] {
  return registry.getMetricsAsArray().flatMap((metric) => {
    const { name, type } = metric as unknown as { name: string; type: string };
    if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
    if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
    return [name];
  });
}

/** The API's and the worker's series as production builds them, plus Prometheus's own. */
function registeredSeries(): Set<string> {
  const api = createApiMetrics({
    processMetrics: true,
    db: { pool: { totalCount: 0, idleCount: 0, waitingCount: 0 } } as unknown as DatabaseClient,
  });
  const worker = createWorkerMetrics({
    db: { prisma: {} } as unknown as DatabaseClient,
    breakers: new BreakerRegistry(),
  });
  const names = [...seriesOf(api.registry), ...seriesOf(worker.registry), ...PROMETHEUS_SERIES];
  api.registry.clear();
  worker.registry.clear();
  return new Set(names);
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; runbook?: string };
}

const rules = (): Rule[] =>
  (parse(read('ops/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (group) => group.rules,
  );

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

const panels = (): Panel[] =>
  (JSON.parse(read('ops/grafana/marketprep.json')) as { panels: Panel[] }).panels;

describe('metricNamesIn', () => {
  it('finds metric names and skips functions, labels, ranges and groupings', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/health/.*"}[5m]))) > 0.5',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(
      metricNamesIn('a_total / clamp_min(sum(b_total) , 1e-9) > 2 and on(instance) up == 0'),
    ).toEqual(['a_total', 'b_total', 'up']);
  });
});

describe('ops/prometheus/alerts.yml', () => {
  it('parses, and every rule is complete: expression, duration, severity, summary, runbook', () => {
    const all = rules();
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const rule of all) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^MarketPrep[A-Za-z]+$/);
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook, rule.alert).toMatch(/^docs\/operations\.md#[a-z-]+$/);
    }
    expect(new Set(all.map((r) => r.alert)).size).toBe(all.length);
  });

  it('uses only series that the API and the worker register', () => {
    const known = registeredSeries();
    const unknown = rules().flatMap((rule) =>
      metricNamesIn(rule.expr)
        .filter((name) => !known.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('covers job failures and durations, outbox age, breakers, sync lag and the error rate', () => {
    const used = new Set(rules().flatMap((rule) => metricNamesIn(rule.expr)));
    for (const name of [
      'marketprep_job_duration_seconds_count',
      'marketprep_job_duration_seconds_bucket',
      'marketprep_outbox_oldest_pending_age_seconds',
      'marketprep_outbox_backlog',
      'marketprep_breaker_state',
      'marketprep_sync_lag_seconds',
      'http_request_duration_seconds_count',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('points every runbook at a section of docs/operations.md', () => {
    const anchors = new Set(
      read('docs/operations.md')
        .split('\n')
        .filter((line) => /^#{2,4} /.test(line))
        .map((line) =>
          line
            .replace(/^#+ /, '')
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-'),
        ),
    );
    for (const rule of rules()) {
      const anchor = rule.annotations?.runbook?.split('#')[1] ?? '';
      expect(anchors, `${rule.alert} -> #${anchor}`).toContain(anchor);
    }
  });
});

describe('ops/grafana/marketprep.json', () => {
  it('queries only series that the API and the worker register', () => {
    const known = registeredSeries();
    const all = panels().filter((panel) => panel.type !== 'row');
    expect(all.length).toBeGreaterThanOrEqual(15);
    const unknown = all.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        metricNamesIn(target.expr)
          .filter((name) => !known.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
    expect(all.every((panel) => (panel.targets ?? []).length > 0)).toBe(true);
  });
});
