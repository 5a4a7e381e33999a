import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { FAILURE_TYPES, type FailureType } from '../../core/failure-types';
import { GongApiError } from './errors';

/** A file part as the catalog's `FileSource` describes it: a URL to download, or inline text. */
type FileSource =
  | { url: string; fileName?: string; contentType?: string }
  | { content: string; fileName: string; contentType?: string };

interface PreparedPart {
  name: string;
  header: string;
  /** The part's bytes: inline content, or the download's body streamed through. */
  content: Buffer | AsyncIterable<Uint8Array>;
}

/** What a file download answered: its status, content type and the body, to stream on to Gong. */
export interface DownloadedFile {
  status: number;
  contentType: string | undefined;
  body: AsyncIterable<Uint8Array> | undefined;
  /** Ends the download unread (an error answer). */
  discard(): Promise<void>;
}

/**
 * Fetches a file to upload. Workers pass one that applies the http-step destination policy (a definition or a
 * run's input names the URL: it must not reach the worker's private network); a plain fetch serves tools.
 */
export type FileDownloader = (url: URL, signal: AbortSignal) => Promise<DownloadedFile>;

/** A download the destination policy refused: a problem with the definition or input, not retried. */
export class DownloadRefusedError extends Error {
  override readonly name = 'DownloadRefusedError';
}

/** Downloads with the global fetch: no destination policy (tools and tests of the client alone). */
export const fetchDownloader: FileDownloader = async (url, signal) => {
  const response = await fetch(url, { signal });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    body: (response.body as unknown as AsyncIterable<Uint8Array> | null) ?? undefined,
    discard: async () => {
      await response.body?.cancel();
    },
  };
};

export interface MultipartBody {
  contentType: string;
  /** Streamed: a media file (up to 1.5 GB) never sits in memory. */
  body: ReadableStream<Uint8Array>;
}

function isFileSource(value: unknown): value is FileSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as { url?: unknown }).url === 'string' ||
      typeof (value as { content?: unknown }).content === 'string')
  );
}

/**
 * Builds a multipart/form-data body. URL files are fetched first (so a bad URL fails before a Gong budget
 * slot is taken) and their bytes are piped to Gong as they arrive; `onChunk` fires per chunk so activities
 * can heartbeat through a long upload.
 */
export async function multipartBody(
  parts: Record<string, unknown>,
  options: { timeoutMs: number; onChunk?: () => void; download?: FileDownloader },
): Promise<MultipartBody> {
  const boundary = `gongflow-${randomBytes(12).toString('hex')}`;
  const prepared: PreparedPart[] = [];
  for (const [name, value] of Object.entries(parts)) {
    if (!isFileSource(value)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      prepared.push({
        name,
        header: `Content-Disposition: form-data; name="${quote(name)}"\r\n\r\n`,
        content: Buffer.from(text),
      });
      continue;
    }
    const file =
      'url' in value
        ? await download(value, options.timeoutMs, options.download ?? fetchDownloader)
        : inline(value);
    prepared.push({
      name,
      header:
        `Content-Disposition: form-data; name="${quote(name)}"; filename="${quote(file.fileName)}"\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`,
      content: file.content,
    });
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const part of prepared) {
      yield Buffer.from(`--${boundary}\r\n${part.header}`);
      if (Buffer.isBuffer(part.content)) yield part.content;
      else
        for await (const chunk of part.content) {
          options.onChunk?.();
          yield chunk;
        }
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>,
  };
}

function inline(file: Extract<FileSource, { content: string }>) {
  return {
    fileName: file.fileName,
    contentType: file.contentType ?? 'application/octet-stream',
    content: Buffer.from(file.content, 'utf8'),
  };
}

async function download(
  file: Extract<FileSource, { url: string }>,
  timeoutMs: number,
  downloader: FileDownloader,
) {
  let url: URL;
  try {
    url = new URL(file.url);
  } catch {
    throw notDownloaded(0, FAILURE_TYPES.validation, `${JSON.stringify(file.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw notDownloaded(
      0,
      FAILURE_TYPES.validation,
      `${url.protocol} URLs cannot be downloaded; use http(s)`,
    );
  let answer: DownloadedFile;
  try {
    answer = await downloader(url, AbortSignal.timeout(timeoutMs));
  } catch (error) {
    // A refused destination, a redirect loop, a timeout or a network failure: nothing reached Gong.
    throw notDownloaded(
      0,
      error instanceof DownloadRefusedError ? FAILURE_TYPES.validation : FAILURE_TYPES.server,
      `could not download the file to upload from ${shown(url)}: ${(error as Error).message}`,
    );
  }
  if (answer.status < 200 || answer.status >= 300 || !answer.body) {
    await answer.discard();
    throw notDownloaded(
      answer.status,
      answer.status >= 500 || answer.status === 429 ? FAILURE_TYPES.server : FAILURE_TYPES.validation,
      `could not download the file to upload from ${shown(url)}: HTTP ${answer.status}. Check the URL (it must be reachable from the workers)`,
    );
  }
  const lastSegment = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return {
    fileName: file.fileName ?? (lastSegment || 'upload'),
    contentType: file.contentType ?? answer.contentType?.split(';')[0] ?? 'application/octet-stream',
    content: answer.body,
  };
}

/**
 * The URL as errors show it: without its query, which in a pre-signed URL (S3, GCS) is the credential, and
 * without user info.
 */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function notDownloaded(status: number, type: FailureType, message: string): GongApiError {
  return new GongApiError(
    status,
    type,
    `${message} (not sent to Gong, so no requestId)`,
    undefined,
    undefined,
    undefined,
    true,
  );
}

/** Form-data names and file names are quoted strings: escape what would end them. */
function quote(value: string): string {
  return value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));
}
