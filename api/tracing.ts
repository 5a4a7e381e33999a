import type { RouteOptions } from 'fastify';
import { inSpan, SpanKind } from '../observability/spans';

/**
 * Runs each request's handler inside a server span named after its route (`POST /v1/runs`), so what the
 * handler starts (a run, through the Temporal client's interceptor) joins the request's trace. Called from
 * the onRoute hook: a span around the handler is current for everything it awaits, which a request hook
 * cannot do. With tracing off the span is a no-op.
 */
export function traceRequests(route: RouteOptions): void {
  const handler = route.handler;
  const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
  route.handler = function tracedHandler(this: unknown, request, reply) {
    return inSpan(
      `${methods} ${route.url}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route.url },
      },
      async (span) => {
        const answer: unknown = await handler.call(this as never, request, reply);
        span.setAttribute('http.response.status_code', reply.statusCode);
        return answer;
      },
    );
  };
}
