/**
 * One trace per run: a run started through the API has, under the API request's span, the client's
 * StartWorkflow, the workflow's RunWorkflow, the activity's StartActivity/RunActivity and one span per Gong
 * HTTP call, all in one trace (an in-memory exporter installed as the process's tracer provider, exactly
 * where an OTLP exporter goes when OTEL_EXPORTER_OTLP_ENDPOINT is set). And /metrics shows what the
 * worker in the same process did with Gong.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { installTracing } from '../../observability/tracing';
import { startTestApi, type TestApi } from '../api/support';
import { startTestEngine, type TestEngine } from '../support/engine';
import { waitFor } from '../support/wait';

jest.setTimeout(180_000);

const exporter = new InMemorySpanExporter();
let engine: TestEngine;
let api: TestApi;

beforeAll(async () => {
  expect(installTracing({ exporter, serviceName: 'gongflow-test' })).toBe(true);
  engine = await startTestEngine();
  api = await startTestApi(engine);
});

afterAll(async () => {
  await api?.app.close();
  await engine?.close();
});

function parentOf(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan | undefined {
  return spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanId);
}

it("a run's trace has the API request, the workflow, its activity and each Gong HTTP call", async () => {
  const started = await api.client.startRun({ definition: 'list-users', connection: 'emulator' });
  const result = await api.client.waitForResult(started.run.id, { timeoutMs: 120_000 });
  expect(result.status).toBe('completed');

  const request = exporter.getFinishedSpans().find((span) => span.name === 'POST /v1/runs');
  expect(request).toBeDefined();
  const traceId = request!.spanContext().traceId;
  // Workflow spans leave the sandbox through a sink after their workflow task: wait for the run's own.
  const spans = await waitFor(async () => {
    const inTrace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const names = inTrace.map((span) => span.name);
    return Promise.resolve(
      names.includes('RunWorkflow:orchestration') && names.includes('RunActivity:runGongAction')
        ? inTrace
        : undefined,
    );
  }, "the run's workflow and activity spans");

  const named = (name: string) => spans.filter((span) => span.name === name);
  const [start] = named('StartWorkflow:orchestration');
  const [workflow] = named('RunWorkflow:orchestration');
  const [activity] = named('RunActivity:runGongAction');
  expect(parentOf(start!, spans)).toBe(request);
  expect(parentOf(workflow!, spans)).toBe(start);
  expect(parentOf(parentOf(activity!, spans)!, spans)).toBe(workflow); // via StartActivity
  const gongCalls = spans.filter((span) => span.name === 'Gong GET /v2/users');
  expect(gongCalls.length).toBeGreaterThanOrEqual(1);
  for (const call of gongCalls) {
    expect(parentOf(call, spans)).toBe(activity);
    expect(call.attributes['http.response.status_code']).toBe(200);
  }
  expect(request!.resource.attributes['service.name']).toBe('gongflow-test');
});

/** A sample's value from Prometheus text (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("/metrics shows the workers' Gong requests by action and status, budget waits and left, token refreshes and runs", async () => {
  const scrape = async () =>
    (await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${api.apiKey}` } })).text();
  const before = await scrape();
  const started = await api.client.startRun({ definition: 'list-users', connection: 'emulator' });
  expect((await api.client.waitForResult(started.run.id, { timeoutMs: 120_000 })).status).toBe('completed');
  const pages = exporter
    .getFinishedSpans()
    .filter(
      (span) => span.name === 'Gong GET /v2/users' && span.attributes['http.response.status_code'] === 200,
    );
  const after = await scrape();

  const users = 'gongflow_gong_requests_total{action="gong.users.list",status="200"}';
  expect(sample(after, users)).toBe(pages.length); // both runs' pages, each counted once
  expect((sample(after, users) ?? 0) - (sample(before, users) ?? 0)).toBeGreaterThanOrEqual(1);
  // Every request waited for its budget slot (a few ms when the budget has room).
  expect(sample(after, 'gongflow_gong_budget_wait_seconds_count')).toBe(pages.length);
  for (const family of ['gongflow_gong_rate_limited_total', 'gongflow_gong_token_refreshes_total']) {
    expect(after).toContain(`# TYPE ${family} counter`);
  }
  expect(after).toContain('# TYPE gongflow_http_requests_total counter'); // the API's own, as before
  // The run as its in-process worker counted it, and the company's day as the budget answered it.
  expect(after).toMatch(/^gongflow_runs_ended_total\{definition="list-users",status="completed"\} [1-9]/m);
  expect(after).toMatch(/^gongflow_gong_budget_left\{company="[^"]+"\} \d+/m);
});
