import { SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';

/**
 * gongflow's own spans (API requests, Gong HTTP calls), on whatever tracer provider the process installed
 * (observability/tracing.ts); without one they are no-ops. Only the OpenTelemetry API: cheap to import.
 */
export function tracer(): Tracer {
  return trace.getTracer('gongflow');
}

/** Runs `work` inside a new current span, ended (and marked failed on a throw) when it settles. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : '' });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
