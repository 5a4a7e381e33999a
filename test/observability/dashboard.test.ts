/**
 * The Grafana dashboard (deploy/grafana/gongflow.json) cannot rot: every metric a panel queries is a family
 * gongflow exposes (the API server's, the workers') or one Temporal's SDK serves once a worker ran a run.
 */
import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import path from 'node:path';
import { createApiMetrics } from '../../api/metrics';
import { loadPlan } from '../../definitions/load';
import '../../observability/budget-left';
import { processRegistry } from '../../observability/metrics';
import { startRun } from '../../runs/start';
import { LIST_USERS } from '../api/support';
import { startTestEngine, type TestEngine } from '../support/engine';
import { exposedSeries, parseSamples } from '../support/metrics';
import { freePort } from '../support/ports';

jest.setTimeout(180_000);

const DASHBOARD = path.join(__dirname, '../../deploy/grafana/gongflow.json');

let engine: TestEngine;
let sdkMetricsAddress: string;

beforeAll(async () => {
  sdkMetricsAddress = `127.0.0.1:${await freePort()}`;
  engine = await startTestEngine({
    cipher: null,
    configure: (config) => ({ ...config, worker: { ...config.worker, sdkMetricsAddress } }),
  });
});

afterAll(async () => {
  await engine?.close();
});

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

interface Query {
  /** The panel's title, or the template variable's name. */
  where: string;
  expr: string;
}

/** Every PromQL query of the dashboard: its panels' targets and its template variables. */
function dashboardQueries(): Query[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Panel[];
    templating?: { list: { name: string; query?: unknown }[] };
  };
  const queries: Query[] = [];
  const visit = (panels: Panel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) queries.push({ where: panel.title ?? '(untitled)', expr: target.expr });
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    const query = variable.query;
    const text = typeof query === 'string' ? query : (query as { query?: string } | undefined)?.query;
    if (text && text !== 'prometheus') queries.push({ where: `$${variable.name}`, expr: text });
  }
  return queries;
}

/** The metric names of a query (PromQL functions, keywords and label names are not gongflow_ or temporal_). */
const metricsOf = (expr: string): string[] =>
  [...expr.matchAll(/\b((?:gongflow|temporal)_[a-z0-9_]+)\b/g)].map((match) => match[1]!);

/** The labels a query groups by or matches on, less those Prometheus adds (instance, job) and `le`. */
function labelsOf(expr: string): string[] {
  const labels = new Set<string>();
  for (const group of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g))
    for (const label of group[1]!.split(',')) labels.add(label.trim());
  for (const selector of expr.matchAll(/\{([^}]*)\}/g))
    for (const matcher of selector[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g))
      labels.add(matcher[1]!);
  for (const call of expr.matchAll(/label_values\([^,)]+,\s*([a-zA-Z_][a-zA-Z0-9_]*)\)/g))
    labels.add(call[1]!);
  for (const added of ['', 'le', 'instance', 'job']) labels.delete(added);
  return [...labels];
}

/** Label names per series: from samples, and from gongflow's registries (families not counted yet). */
function labelNamesOf(texts: string[], registries: Registry[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  const add = (series: string, labels: Iterable<string>): void => {
    const known = names.get(series) ?? new Set<string>();
    for (const label of labels) known.add(label);
    names.set(series, known);
  };
  for (const text of texts)
    for (const sample of parseSamples(text)) add(sample.name, Object.keys(sample.labels));
  for (const registry of registries)
    for (const metric of registry.getMetricsAsArray()) {
      // prom-client keeps a family's label names on the metric (not in its public type).
      const labelNames = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
      for (const suffix of ['', '_bucket', '_sum', '_count']) add(`${metric.name}${suffix}`, labelNames);
    }
  return names;
}

it('queries only metrics, and labels, that gongflow or the SDK expose', async () => {
  const queries = dashboardQueries();
  expect(queries.length).toBeGreaterThan(20);

  // A run with a Gong step: the SDK serves a family once it has a sample (workflow tasks, activities, polls).
  const handle = await startRun(engine.client, {
    plan: loadPlan(LIST_USERS),
    connectionId: 'emulator',
    taskQueue: engine.taskQueue,
  });
  await handle.result();
  const apiRegistry = createApiMetrics().registry;
  const scrapes = [
    await (await fetch(`http://${sdkMetricsAddress}/metrics`)).text(),
    await processRegistry.metrics(),
    await apiRegistry.metrics(),
  ];
  const exposed = new Set(scrapes.flatMap((text) => [...exposedSeries(text)]));
  const labels = labelNamesOf(scrapes, [processRegistry, apiRegistry]);

  const missing: string[] = [];
  for (const { where, expr } of queries) {
    const metrics = metricsOf(expr);
    if (metrics.length === 0) missing.push(`${where}: queries no gongflow_ or temporal_ metric`);
    for (const metric of metrics) {
      if (!exposed.has(metric)) {
        missing.push(`${where}: ${metric} is not exposed`);
        continue;
      }
      for (const label of labelsOf(expr))
        if (!labels.get(metric)?.has(label)) missing.push(`${where}: ${metric} has no label ${label}`);
    }
  }
  expect(missing).toEqual([]);
});
