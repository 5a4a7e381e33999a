import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';

/**
 * OpenTelemetry tracing of one process (API server, worker, or both in `gongflow dev`). One trace per run:
 * the API request -> StartWorkflow (client interceptor) -> RunWorkflow (workflow interceptor, exported
 * through a sink) -> StartActivity/RunActivity (activity interceptor) -> each Gong HTTP call. Spans are
 * exported over OTLP/HTTP when the standard variables name a collector (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_EXPORTER_OTLP_HEADERS for auth); otherwise nothing is recorded
 * and the interceptors cost next to nothing.
 */
interface InstalledTracing {
  processor: SpanProcessor;
  resource: Resource;
  provider: BasicTracerProvider;
}

let installed: InstalledTracing | undefined;

export interface TracingOptions {
  /** Where spans go instead of OTLP (tests: an in-memory exporter, exported span by span). */
  exporter?: SpanExporter;
  /** `service.name` of the spans (default OTEL_SERVICE_NAME, else "gongflow"). */
  serviceName?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Installs the process's tracer provider once (the first call wins: a test's exporter before the engine's
 * own call). Returns whether spans are recorded.
 */
export function installTracing(options: TracingOptions = {}): boolean {
  if (installed) return true;
  const env = options.env ?? process.env;
  const exporter = options.exporter ?? otlpExporterFromEnvironment(env);
  if (!exporter) return false;
  const resource = new Resource({
    'service.name': options.serviceName ?? env['OTEL_SERVICE_NAME'] ?? 'gongflow',
  });
  // A test reads its spans as soon as they end; a real collector gets them in batches.
  const processor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // The context manager makes a span "current" across awaits, so child spans find their parent.
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  installed = { processor, resource, provider };
  return true;
}

function otlpExporterFromEnvironment(env: NodeJS.ProcessEnv): SpanExporter | undefined {
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return undefined;
  // The exporter reads the endpoint, headers and timeout from those variables itself.
  return new OTLPTraceExporter();
}

/** Sends the spans still buffered (a stopping process calls this before it exits). */
export async function flushTracing(): Promise<void> {
  await installed?.provider.forceFlush();
}

/** The sink workflow spans leave the sandbox through (a no-op when tracing is off). */
export function workflowSpanSink(): ReturnType<typeof makeWorkflowExporter> {
  return makeWorkflowExporter(
    installed?.processor ?? new NoopSpanProcessor(),
    installed?.resource ?? Resource.empty(),
  );
}
