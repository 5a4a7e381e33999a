import dns, { type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import type { DestinationPolicy, Refusal } from './destinations';

/**
 * One `http` step request over node:http(s), with what fetch cannot give: the destination policy checked on
 * the addresses each connection actually uses (the resolver's answer at connect time, so a name that
 * resolves elsewhere later is checked again: DNS rebinding gains nothing), redirects followed by hand
 * (capped, and never carrying credentials to another origin), and a cap on the response size.
 */

export interface TransportLimits {
  /** Redirects followed before the request fails. */
  maxRedirects: number;
  /** Bytes of (decoded) response body before the request fails. */
  maxResponseBytes: number;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
}

/** Resolves a host name to every address (dns.lookup by default; tests answer for names of their own). */
export type Resolve = (
  hostname: string,
  family: number,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Whether a header value or body holds a secret: such values never follow a redirect to another origin. */
  holdsSecret: (text: string) => boolean;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type TransportFailure =
  | { kind: 'refused'; hostname: string; refusal: Refusal }
  | { kind: 'tooLarge'; limit: number }
  | { kind: 'redirect'; problem: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network'; code: string | undefined; problem: string };

/** Why a request failed; the activity turns it into a typed failure. */
export class TransportError extends Error {
  constructor(readonly failure: TransportFailure) {
    super(`http transport: ${failure.kind}`);
    this.name = 'TransportError';
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Sent to another origin only if the author sets them again there, which a redirect cannot do. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export interface TransportOptions {
  policy: DestinationPolicy;
  limits: TransportLimits;
  resolve?: Resolve;
  /** The activity's cancellation: aborts the exchange with its reason. */
  signal?: AbortSignal;
}

export async function sendRequest(
  request: OutgoingRequest,
  options: TransportOptions,
): Promise<ReceivedResponse> {
  const { limits } = options;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new TransportError({ kind: 'timeout', timeoutMs: limits.timeoutMs })),
    limits.timeoutMs,
  );
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  try {
    let { method, url, headers, body } = request;
    for (let redirects = 0; ; redirects += 1) {
      const response = await exchange({ method, url, headers, body }, options, signal);
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location) {
        return {
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: flatHeaders(response),
          body: await readBody(response, limits.maxResponseBytes, signal),
        };
      }
      response.resume(); // the redirect's own body is of no use
      if (redirects >= limits.maxRedirects) {
        throw new TransportError({
          kind: 'redirect',
          problem: `more than ${limits.maxRedirects} redirects (httpSteps.maxRedirects)`,
        });
      }
      const next = redirectTarget(url, location);
      const status = response.statusCode ?? 0;
      // As browsers do: 303 turns into GET, and so does a POST answered with 301/302.
      if (
        (status === 303 && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, (name) => name === 'content-type');
      }
      if (next.origin !== url.origin) {
        if (body !== undefined && request.holdsSecret(body)) {
          throw new TransportError({
            kind: 'redirect',
            problem: `redirected to another origin (${next.origin}) with a body holding a secret, which is not resent`,
          });
        }
        headers = withoutHeaders(
          headers,
          (name, value) => CREDENTIAL_HEADERS.has(name) || request.holdsSecret(value),
        );
      }
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** A response whose body is still to be read (a download streamed on to Gong). */
export interface OpenedResponse {
  status: number;
  headers: Record<string, string>;
  body: IncomingMessage;
}

/**
 * A GET under the same destination policy as `sendRequest`, whose body is left to stream: files a Gong
 * action uploads (call media, up to 1.5 GB) are downloaded this way. Nothing but the URL is sent, so
 * redirects carry no credentials; they are capped like an http step's. The body is asked for unencoded, so it
 * streams through as it arrives.
 */
export async function openDownload(
  url: URL,
  options: { policy: DestinationPolicy; maxRedirects: number; resolve?: Resolve; signal: AbortSignal },
): Promise<OpenedResponse> {
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    const response = await exchange(
      { method: 'GET', url: current, headers: { 'accept-encoding': 'identity' } },
      { ...options, limits: { maxRedirects: options.maxRedirects, maxResponseBytes: 0, timeoutMs: 0 } },
      options.signal,
    );
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location)
      return { status: response.statusCode ?? 0, headers: flatHeaders(response), body: response };
    response.resume();
    if (redirects >= options.maxRedirects) {
      throw new TransportError({
        kind: 'redirect',
        problem: `more than ${options.maxRedirects} redirects (httpSteps.maxRedirects)`,
      });
    }
    current = redirectTarget(current, location);
  }
}

function redirectTarget(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new TransportError({ kind: 'redirect', problem: 'redirected to an invalid URL' });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new TransportError({ kind: 'redirect', problem: `redirected to a ${next.protocol} URL` });
  }
  return next;
}

function withoutHeaders(
  headers: Record<string, string>,
  drop: (name: string, value: string) => boolean,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => !drop(name.toLowerCase(), value)),
  );
}

/** One request/response, without following redirects; resolves once the response headers are in. */
function exchange(
  request: Omit<OutgoingRequest, 'holdsSecret'>,
  options: TransportOptions,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const { url } = request;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // An address in the URL is never looked up: check it here. Names are checked as they resolve.
  if (net.isIP(hostname)) {
    const refusal = options.policy.refusal(hostname, [hostname]);
    if (refusal) return Promise.reject(new TransportError({ kind: 'refused', hostname, refusal }));
  }
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = {
    'user-agent': 'gongflow',
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
    ...lowerCased(request.headers),
    ...(body ? { 'content-length': String(body.length) } : {}),
  };
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      agent: false, // a fresh connection per request: each one is checked as it connects
      lookup: guardedLookup(options.policy, options.resolve ?? defaultResolve),
    });
    const onAbort = (): void => {
      outgoing.destroy();
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.once('response', (response) => {
      signal.removeEventListener('abort', onAbort);
      resolve(response);
    });
    outgoing.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? abortReason(signal) : asTransportError(error));
    });
    outgoing.end(body);
  });
}

const defaultResolve: Resolve = (hostname, family, callback) =>
  dns.lookup(hostname, { all: true, family }, callback);

/** The lookup every connection of an http step uses: the policy decides on what the resolver answered. */
function guardedLookup(policy: DestinationPolicy, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(
      hostname,
      options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : (options.family ?? 0),
      (error, addresses) => {
        if (error) return callback(error, '', 0);
        const refusal = policy.refusal(
          hostname,
          addresses.map((entry) => entry.address),
        );
        if (refusal) return callback(new TransportError({ kind: 'refused', hostname, refusal }), '', 0);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return callback(null, addresses);
        callback(null, first.address, first.family);
      },
    );
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new TransportError({ kind: 'network', code: undefined, problem: 'aborted' });
}

/** Network errors by code, in words; the code is kept for the operator. */
const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  HPE_INVALID_CONSTANT: 'the answer is not valid HTTP',
};

function asTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const problem =
    (code && NETWORK_PROBLEMS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new TransportError({ kind: 'network', code, problem });
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Response headers as fetch shows them: lower-case names, repeated values joined with ", ". */
function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The decoded body, failing as soon as it passes `maxBytes` (a compressed body counts decompressed). */
function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  const tooLarge = new TransportError({ kind: 'tooLarge', limit: maxBytes });
  if (!decoder && Number(response.headers['content-length']) > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge);
  }
  const stream = decoder ? response.pipe(decoder) : response;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = (error: Error): void => {
      signal.removeEventListener('abort', onAbort);
      response.destroy();
      decoder?.destroy();
      reject(error);
    };
    const onAbort = (): void => stop(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return stop(tooLarge);
      chunks.push(chunk);
    });
    stream.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    });
    stream.once('error', (error) => stop(signal.aborted ? abortReason(signal) : asTransportError(error)));
    response.once('error', (error) => stop(signal.aborted ? abortReason(signal) : asTransportError(error)));
  });
}
