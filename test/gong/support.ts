import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GongEmulator } from '../../emulator';
import { GongClient, type GongClientOptions } from '../../gong/client/client';
import type { GongCredentials } from '../../gong/client/credentials';

/** Key-based credentials of one emulator company. */
export function emulatorCredentials(
  company: { apiBaseUrl: string; accessKey: string; accessKeySecret: string },
  baseUrl = company.apiBaseUrl,
): GongCredentials {
  const authorization = `Basic ${Buffer.from(`${company.accessKey}:${company.accessKeySecret}`).toString('base64')}`;
  return { connectionId: 'emulator', baseUrl, authorization: () => Promise.resolve(authorization) };
}

export function emulatorClient(emulator: GongEmulator, options: Partial<GongClientOptions> = {}): GongClient {
  return new GongClient(emulatorCredentials(emulator.defaultCompany), { timeoutMs: 10_000, ...options });
}

/** A tiny file server standing in for where recordings live (media uploads take a URL). */
export async function startFileServer(files: Record<string, { body: Buffer; type: string }>): Promise<{
  url: (name: string) => string;
  close(): Promise<void>;
}> {
  const server = http.createServer((request, response) => {
    const file = files[(request.url ?? '').slice(1)];
    if (!file) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
