import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

/** PEM files of a throwaway PKI, generated per test run: nothing secret is ever committed. */
export interface TestPki {
  dir: string;
  /** The name the server certificate is issued for (used through temporal.tls.serverName). */
  serverName: string;
  caCertFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A second CA that signed nothing the server presents: trusting it must fail. */
  otherCaCertFile: string;
  /** PEM text, for the proxy's TLS options. */
  pem: { ca: string; serverCert: string; serverKey: string };
}

const EC = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

/** A CA able to sign (rustls, in the worker's native connection, refuses a CA without keyCertSign). */
async function certificateAuthority(commonName: string) {
  return generate([{ name: 'commonName', value: commonName }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}

/** An end-entity certificate signed by `ca`, for a TLS server (`serverAuth`) or client (`clientAuth`). */
async function leaf(
  commonName: string,
  ca: { private: string; cert: string },
  usage: 'serverAuth' | 'clientAuth',
) {
  return generate([{ name: 'commonName', value: commonName }], {
    ...EC,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', [usage]: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: commonName }] },
    ],
  });
}

/**
 * A CA, a server certificate for `serverName` and a client certificate (both signed by the CA), and an
 * unrelated CA, written as PEM files into a fresh temporary folder.
 */
export async function generateTestPki(serverName = 'temporal.test'): Promise<TestPki> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-tls-'));
  const ca = await certificateAuthority('gongflow test CA');
  const otherCa = await certificateAuthority('gongflow unrelated CA');
  const server = await leaf(serverName, ca, 'serverAuth');
  const client = await leaf('gongflow-worker', ca, 'clientAuth');
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  return {
    dir,
    serverName,
    caCertFile: write('ca.pem', ca.cert),
    serverCertFile: write('server.pem', server.cert),
    serverKeyFile: write('server.key', server.private),
    clientCertFile: write('client.pem', client.cert),
    clientKeyFile: write('client.key', client.private),
    otherCaCertFile: write('other-ca.pem', otherCa.cert),
    pem: { ca: ca.cert, serverCert: server.cert, serverKey: server.private },
  };
}
