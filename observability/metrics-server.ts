import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { processRegistry } from './metrics';

export interface MetricsServer {
  /** `http://host:port/metrics`, with the port the system chose for port 0. */
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's own Prometheus endpoint (`worker.metricsPort`): a worker started alone has no API server, and
 * each worker of a fleet is scraped on its own. It serves this process's registry (observability/metrics.ts)
 * at /metrics and answers /healthz (a container health check); no key, so bind it where only the scraper
 * reaches (the families carry no secrets and no ids of customers).
 */
export async function serveMetrics(port: number, host: string): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && pathname === '/metrics') {
      processRegistry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': processRegistry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (request.method === 'GET' && pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
