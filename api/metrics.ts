import { Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one API server (its own registry, so several servers in one process never clash). */
export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  runsStarted: Counter<'definition'>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  return {
    registry,
    httpRequests: new Counter({
      name: 'gongflow_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'gongflow_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    runsStarted: new Counter({
      name: 'gongflow_runs_started_total',
      help: 'Runs started through the API, by definition.',
      labelNames: ['definition'],
      registers: [registry],
    }),
  };
}
