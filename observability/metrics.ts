import { Counter, Histogram, Registry } from 'prom-client';

/**
 * gongflow's own metrics of this process (workers' activities: Gong calls, budget waits, token refreshes),
 * in one registry per process: activities are created once per worker, and `gongflow server`/`dev` run the
 * worker next to the API, whose /metrics shows these families after its own (api/routes/metrics.ts).
 * Labels stay bounded: catalog action names, status codes, outcomes, definition names; never ids of runs.
 * The one company label (the daily budget left, observability/budget-left.ts) is the company's Gong API host,
 * one per company gongflow calls, which is what an operator of a multi-company fleet watches.
 */
export const processRegistry = new Registry();

export const gongMetrics = {
  requests: new Counter({
    name: 'gongflow_gong_requests_total',
    help: 'HTTP requests sent to Gong, by catalog action and answer status (0: no answer).',
    labelNames: ['action', 'status'],
    registers: [processRegistry],
  }),
  rateLimited: new Counter({
    name: 'gongflow_gong_rate_limited_total',
    help: 'Gong answers 429 (too many requests), by catalog action.',
    labelNames: ['action'],
    registers: [processRegistry],
  }),
  budgetWait: new Histogram({
    name: 'gongflow_gong_budget_wait_seconds',
    help: "Time a Gong request waited for its slot in the company's request budget.",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [processRegistry],
  }),
  tokenRefreshes: new Counter({
    name: 'gongflow_gong_token_refreshes_total',
    help: 'OAuth token refreshes at Gong, by outcome (refreshed, invalid_grant, invalid_client, error).',
    labelNames: ['outcome'],
    registers: [processRegistry],
  }),
};

/** What triggers saw and did: webhook deliveries (API servers) and polls (workers). */
export const triggerMetrics = {
  webhookDeliveries: new Counter({
    name: 'gongflow_webhook_deliveries_total',
    help: 'Gong webhook deliveries received, by outcome (started, duplicate, filtered, test, unauthorized, malformed, ...).',
    labelNames: ['outcome'],
    registers: [processRegistry],
  }),
  polls: new Counter({
    name: 'gongflow_trigger_polls_total',
    help: 'Polls of Gong that poller triggers completed, by trigger kind.',
    labelNames: ['kind'],
    registers: [processRegistry],
  }),
  polledEvents: new Counter({
    name: 'gongflow_trigger_events_total',
    help: 'Events poller triggers found, by trigger kind and what became of them (started, duplicate, filtered, rejected, baseline).',
    labelNames: ['kind', 'outcome'],
    registers: [processRegistry],
  }),
};

/** Runs of this worker's workflows (counted from the workflow through a sink, never during a replay). */
export const runMetrics = {
  started: new Counter({
    name: 'gongflow_runs_begun_total',
    help: 'Runs whose first workflow task a worker of this process ran (however started: API, CLI, triggers, schedules, reruns; child runs too), by definition.',
    labelNames: ['definition'],
    registers: [processRegistry],
  }),
  ended: new Counter({
    name: 'gongflow_runs_ended_total',
    help: 'Runs that ended on a worker of this process, by definition and status (completed, failed, cancelled).',
    labelNames: ['definition', 'status'],
    registers: [processRegistry],
  }),
};
