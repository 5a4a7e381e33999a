import { DownloadRefusedError, type FileDownloader } from '../gong/client/multipart';
import { DestinationPolicy } from './http/destinations';
import { openDownload, TransportError, type Resolve } from './http/transport';
import type { HttpStepsSettings } from './http-request';

/**
 * The downloader of files a Gong action uploads from a URL (call media, CRM data files). The URL comes from a
 * definition or a run's input, so it gets the http steps' destination policy: no loopback, private,
 * link-local or metadata address (after DNS resolution, at connect time) unless `httpSteps.allow` lists it,
 * and at most `httpSteps.maxRedirects` redirects. The body is not capped: media files are large by nature, and
 * they stream through to Gong without being kept.
 */
export function guardedDownloader(settings: HttpStepsSettings, resolve?: Resolve): FileDownloader {
  const policy = new DestinationPolicy(settings.allow);
  return async (url, signal) => {
    try {
      const opened = await openDownload(url, {
        policy,
        maxRedirects: settings.maxRedirects,
        signal,
        ...(resolve ? { resolve } : {}),
      });
      return {
        status: opened.status,
        contentType: opened.headers['content-type'],
        body: opened.body,
        discard: () => {
          opened.body.destroy();
          return Promise.resolve();
        },
      };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const failure = error.failure;
      switch (failure.kind) {
        case 'refused': {
          const { hostname, refusal } = failure;
          const where =
            hostname === refusal.address ? hostname : `${hostname} resolves to ${refusal.address}, which`;
          throw new DownloadRefusedError(
            `${where} is ${refusal.reason}, which downloads may not reach. If this host is meant to be reached, list it in httpSteps.allow in temporal.yaml`,
          );
        }
        case 'redirect':
          throw new DownloadRefusedError(failure.problem);
        case 'timeout':
          throw new Error(`no answer within ${failure.timeoutMs} ms`);
        case 'network':
          throw new Error(failure.problem);
        case 'tooLarge':
          throw new Error(`larger than ${failure.limit} bytes`);
      }
    }
  };
}
