import tls from 'node:tls';
import { GongflowError } from '../core/errors';
import type { TemporalConnectionOptions } from './connection';
import { isTemporalUnreachable, temporalUnavailable } from './unavailable';

/** gRPC 16 UNAUTHENTICATED: what Temporal (Cloud) answers to a missing or wrong API key. */
const UNAUTHENTICATED = 16;
/** gRPC 7 PERMISSION_DENIED: valid credentials that do not grant the namespace. */
const PERMISSION_DENIED = 7;

/** How long the diagnosing handshake may take before it is inconclusive. */
const PROBE_TIMEOUT_MS = 5_000;

type ProbeOutcome =
  | { kind: 'ok' }
  | { kind: 'untrusted'; reason: string }
  | { kind: 'name-mismatch'; reason: string }
  | { kind: 'client-cert-required' }
  | { kind: 'client-cert-rejected'; reason: string }
  | { kind: 'not-tls' }
  | { kind: 'inconclusive' };

/** The native (worker) connection reports a status by its text only, as tonic describes the code. */
const STATUS_TEXTS: ReadonlyArray<[RegExp, number]> = [
  [/does not have valid authentication credentials|\bUNAUTHENTICATED\b/i, UNAUTHENTICATED],
  [/does not have permission to execute|\bPERMISSION_DENIED\b/i, PERMISSION_DENIED],
];

function grpcCodeOf(error: unknown): number | undefined {
  for (
    let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth++
  ) {
    if (typeof current.code === 'number') return current.code;
    const message = typeof current.message === 'string' ? current.message : '';
    const byText = STATUS_TEXTS.find(([pattern]) => pattern.test(message));
    if (byText) return byText[1];
  }
  return undefined;
}

/**
 * Repeats the TLS handshake of a failed connection with Node's TLS, which says precisely what went wrong
 * (the Temporal SDK's transports only say "failed to connect"), and waits for the server's first HTTP/2
 * frame: a server that requires a client certificate refuses one only after the handshake.
 */
function probeTls(options: TemporalConnectionOptions): Promise<ProbeOutcome> {
  const tlsSettings = options.tls ?? {};
  const { host, port } = hostAndPort(options.address);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ALPNProtocols: ['h2'],
      ...(tlsSettings.serverNameOverride ? { servername: tlsSettings.serverNameOverride } : {}),
      ...(tlsSettings.serverRootCACertificate
        ? { ca: Buffer.from(tlsSettings.serverRootCACertificate) }
        : {}),
      ...(tlsSettings.clientCertPair
        ? {
            cert: Buffer.from(tlsSettings.clientCertPair.crt),
            key: Buffer.from(tlsSettings.clientCertPair.key),
          }
        : {}),
      // Without temporal.tls the question is only whether the server speaks TLS at all.
      ...(options.tls ? {} : { rejectUnauthorized: false }),
    });
    const timer = setTimeout(() => finish({ kind: 'inconclusive' }), PROBE_TIMEOUT_MS);
    function finish(outcome: ProbeOutcome): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    // The server's first frame (its SETTINGS) answers the preface only once it accepted the client.
    socket.once('secureConnect', () => socket.write(HTTP2_PREFACE));
    socket.once('data', () => finish({ kind: 'ok' }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(classifyTlsError(error)));
    socket.once('close', () => finish({ kind: 'inconclusive' }));
  });
}

/** The HTTP/2 client connection preface and an empty SETTINGS frame. */
const HTTP2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
]);

function hostAndPort(address: string): { host: string; port: number } {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  return { host, port: Number(address.slice(separator + 1)) };
}

function classifyTlsError(error: NodeJS.ErrnoException): ProbeOutcome {
  const code = error.code ?? '';
  const reason = `${code}: ${error.message}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { kind: 'name-mismatch', reason: error.message };
  if (/CERT|SELF_SIGNED|ISSUER|UNABLE_TO_VERIFY/.test(code) && !code.startsWith('ERR_SSL'))
    return { kind: 'untrusted', reason };
  if (/CERTIFICATE_REQUIRED|ALERT_HANDSHAKE_FAILURE/.test(code)) return { kind: 'client-cert-required' };
  if (/ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED)/.test(code))
    return { kind: 'client-cert-rejected', reason: code };
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER/.test(code)) return { kind: 'not-tls' };
  return { kind: 'inconclusive' };
}

/**
 * What a failed connection to Temporal means for the user, as an error with a stable code and the setting
 * to fix: refused credentials, an untrusted or misnamed server certificate, a missing or refused client
 * certificate, a server that speaks no TLS. An unreachable server stays TEMPORAL_UNAVAILABLE; anything else
 * is answered unchanged. Never includes the API key or a key file's content.
 */
export async function explainConnectionFailure(
  error: unknown,
  options: TemporalConnectionOptions,
): Promise<unknown> {
  if (error instanceof GongflowError) return error;
  const at = `Temporal at ${options.address}`;
  const grpcCode = grpcCodeOf(error);
  if (grpcCode === UNAUTHENTICATED) {
    return new GongflowError(
      'TEMPORAL_UNAUTHENTICATED',
      options.apiKey
        ? `${at} refused the API key (temporal.apiKey / TEMPORAL_API_KEY).`
        : `${at} requires credentials and none were sent.`,
      {
        hint: options.apiKey
          ? 'Set TEMPORAL_API_KEY to a valid, unexpired API key of this namespace (Temporal Cloud: Settings → API keys).'
          : 'Set TEMPORAL_API_KEY (or temporal.apiKey), or configure a client certificate in temporal.tls.',
        cause: error,
      },
    );
  }
  if (grpcCode === PERMISSION_DENIED) {
    return new GongflowError('TEMPORAL_PERMISSION_DENIED', `${at} denied access to the namespace.`, {
      hint: 'Check temporal.namespace (TEMPORAL_NAMESPACE) and that the API key or certificate is granted it.',
      cause: error,
    });
  }
  const outcome = await probeTls(options);
  const tlsError = tlsConnectionError(outcome, options, at, error);
  if (tlsError) return tlsError;
  return isTemporalUnreachable(error) ? temporalUnavailable(error) : error;
}

function tlsConnectionError(
  outcome: ProbeOutcome,
  options: TemporalConnectionOptions,
  at: string,
  cause: unknown,
): GongflowError | undefined {
  if (options.tls === undefined) {
    // Any handshake at all means the server wants TLS that the client did not offer.
    if (outcome.kind === 'not-tls' || outcome.kind === 'inconclusive') return undefined;
    return new GongflowError('TEMPORAL_TLS_REQUIRED', `${at} requires TLS; no temporal.tls is configured.`, {
      hint: 'Add temporal.tls (serverName, serverRootCACertFile for a private CA; clientCertFile/clientKeyFile for mTLS), or TEMPORAL_API_KEY for Temporal Cloud, which implies TLS.',
      cause,
    });
  }
  switch (outcome.kind) {
    case 'untrusted':
      return new GongflowError(
        'TEMPORAL_TLS_UNTRUSTED',
        `${at} presented a certificate that is not signed by a trusted CA (${outcome.reason}).`,
        {
          hint: "Set temporal.tls.serverRootCACertFile (TEMPORAL_TLS_CA) to the PEM file of the CA that signed the server's certificate; leave it out for a publicly trusted server such as Temporal Cloud.",
          cause,
        },
      );
    case 'name-mismatch':
      return new GongflowError(
        'TEMPORAL_TLS_NAME_MISMATCH',
        `${at} presented a certificate for another name: ${outcome.reason}`,
        {
          hint: 'Set temporal.tls.serverName (TEMPORAL_TLS_SERVER_NAME) to a name the certificate holds, or use that name in temporal.address.',
          cause,
        },
      );
    case 'client-cert-required':
      return new GongflowError(
        'TEMPORAL_TLS_CLIENT_CERT_REQUIRED',
        `${at} requires a client certificate (mTLS).`,
        {
          hint: 'Set temporal.tls.clientCertFile and temporal.tls.clientKeyFile (TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY) to the PEM certificate and key issued for this namespace.',
          cause,
        },
      );
    case 'client-cert-rejected':
      return new GongflowError(
        'TEMPORAL_TLS_CLIENT_CERT_REJECTED',
        `${at} refused the client certificate (${outcome.reason}).`,
        {
          hint: 'Use a certificate signed by a CA the server (namespace) trusts, not expired, in temporal.tls.clientCertFile with its key in temporal.tls.clientKeyFile.',
          cause,
        },
      );
    case 'not-tls':
      return new GongflowError('TEMPORAL_TLS_NOT_SUPPORTED', `${at} does not speak TLS.`, {
        hint: 'Remove temporal.tls and temporal.apiKey for a server without TLS, or check temporal.address.',
        cause,
      });
    case 'ok':
    case 'inconclusive':
      return undefined;
  }
}
