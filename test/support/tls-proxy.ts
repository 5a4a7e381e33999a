import http2, {
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * What the proxy demands of a client, as a secured Temporal frontend does: TLS with the server's
 * certificate only; TLS plus a client certificate signed by `clientCa` (mTLS); or TLS plus an
 * `authorization: Bearer <apiKey>` header on every request (Temporal Cloud's API keys).
 */
export type ProxyMode =
  { kind: 'tls' } | { kind: 'mtls'; clientCa: string } | { kind: 'api-key'; apiKey: string };

export interface TlsProxyOptions {
  /** host:port of the plaintext Temporal frontend behind the proxy (the tests' dev server). */
  upstream: string;
  /** PEM server certificate and key the proxy presents. */
  cert: string;
  key: string;
  mode: ProxyMode;
}

export interface TlsProxy {
  /** 127.0.0.1:<port> the proxy listens on (a free port). */
  address: string;
  /** gRPC requests forwarded to the upstream, by method path (`/temporal.api.workflowservice.v1...`). */
  forwarded: Map<string, number>;
  /** Requests refused with UNAUTHENTICATED (API-key mode). */
  refused: number;
  /** Common names of the client certificates that completed a handshake (mTLS mode). */
  clientNames: Set<string>;
  close(): Promise<void>;
}

/** gRPC status 16, the answer of Temporal Cloud to a missing or wrong API key. */
const UNAUTHENTICATED = '16';
/** gRPC status 14: what a client sees when the proxy lost its upstream. */
const UNAVAILABLE = '14';

/** Request headers passed upstream: the method and path, and every non-pseudo header (gRPC metadata). */
function requestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') && name !== ':method' && name !== ':path') continue;
    forwarded[name] = value;
  }
  return forwarded;
}

/** Response headers or trailers passed back: all of them (`:status` is the only pseudo-header there). */
function responseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers));
}

/** A trailers-only gRPC answer, made by the proxy itself. */
function grpcStatus(code: string, message: string): OutgoingHttpHeaders {
  return {
    ':status': 200,
    'content-type': 'application/grpc',
    'grpc-status': code,
    'grpc-message': encodeURIComponent(message),
  };
}

/**
 * A TLS-terminating gRPC proxy in front of a plaintext Temporal frontend: each request stream is forwarded
 * with its headers, body and trailers both ways over one HTTP/2 connection to the upstream.
 */
export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const { mode } = options;
  const server = http2.createSecureServer({
    cert: options.cert,
    key: options.key,
    ...(mode.kind === 'mtls' ? { ca: mode.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  });
  const sessions = new Set<ServerHttp2Session>();
  let upstream: ClientHttp2Session | undefined;
  const proxy: TlsProxy = {
    address: '',
    forwarded: new Map(),
    refused: 0,
    clientNames: new Set(),
    close: async () => {
      for (const session of sessions) session.destroy();
      upstream?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const upstreamSession = (): ClientHttp2Session => {
    if (!upstream || upstream.closed || upstream.destroyed) {
      upstream = http2.connect(`http://${options.upstream}`);
      // A lost upstream fails the streams on it; the next request opens a new connection.
      upstream.on('error', () => undefined);
    }
    return upstream;
  };

  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
    const peer = (session.socket as TLSSocket).getPeerCertificate?.();
    if (peer?.subject?.CN) proxy.clientNames.add(String(peer.subject.CN));
  });
  // Failed handshakes (the negative tests) are the client's to report, not the proxy's.
  server.on('tlsClientError', () => undefined);

  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => undefined);
    if (mode.kind === 'api-key' && headers.authorization !== `Bearer ${mode.apiKey}`) {
      proxy.refused += 1;
      stream.respond(grpcStatus(UNAUTHENTICATED, 'Request unauthenticated: invalid API key'), {
        endStream: true,
      });
      return;
    }
    const method = String(headers[':path']);
    proxy.forwarded.set(method, (proxy.forwarded.get(method) ?? 0) + 1);
    forwardStream(stream, headers, upstreamSession());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function forwardStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  upstream: ClientHttp2Session,
) {
  const request = upstream.request(requestHeaders(headers));
  let trailers: OutgoingHttpHeaders | undefined;

  request.on('response', (answer, flags) => {
    if (stream.closed) return;
    // END_STREAM on the first headers: a trailers-only answer (an error status, no body).
    if (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) {
      stream.respond(responseHeaders(answer), { endStream: true });
    } else {
      stream.respond(responseHeaders(answer), { waitForTrailers: true });
    }
  });
  request.on('trailers', (received: IncomingHttpHeaders) => (trailers = responseHeaders(received)));
  stream.on('wantTrailers', () =>
    stream.sendTrailers(trailers ?? { 'grpc-status': UNAVAILABLE, 'grpc-message': 'upstream ended' }),
  );
  request.on('error', () => {
    if (stream.closed) return;
    if (!stream.headersSent)
      stream.respond(grpcStatus(UNAVAILABLE, 'upstream unreachable'), { endStream: true });
    else stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  });
  request.on('close', () => {
    // The upstream reset the stream: pass the reset on rather than leaving the client waiting.
    if (!stream.closed && request.rstCode !== http2.constants.NGHTTP2_NO_ERROR && !stream.headersSent)
      stream.close(request.rstCode);
  });
  // The client gave up (cancelled a long poll, shut down): stop the upstream call too.
  stream.on('close', () => {
    if (!request.closed) request.close(http2.constants.NGHTTP2_CANCEL);
  });

  stream.pipe(request);
  request.pipe(stream);
}
