import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { FAILURE_TYPES } from '../../core/failure-types';
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
  options: { timeoutMs: number; onChunk?: () => void },
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
    const file = 'url' in value ? await download(value, options.timeoutMs) : inline(value);
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

async function download(file: Extract<FileSource, { url: string }>, timeoutMs: number) {
  let response: Response;
  try {
    response = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new GongApiError(
      0,
      FAILURE_TYPES.server,
      `could not download the file to upload from ${file.url}: ${(error as Error).message} (not sent to Gong, so no requestId)`,
      undefined,
      undefined,
      undefined,
    );
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new GongApiError(
      response.status,
      response.status >= 500 || response.status === 429 ? FAILURE_TYPES.server : FAILURE_TYPES.validation,
      `could not download the file to upload from ${file.url}: HTTP ${response.status}. Check the URL (it must be reachable from the workers) (not sent to Gong, so no requestId)`,
      undefined,
      undefined,
      undefined,
    );
  }
  const lastSegment = decodeURIComponent(new URL(file.url).pathname.split('/').pop() ?? '');
  return {
    fileName: file.fileName ?? (lastSegment || 'upload'),
    contentType:
      file.contentType ?? response.headers.get('content-type')?.split(';')[0] ?? 'application/octet-stream',
    content: response.body as unknown as AsyncIterable<Uint8Array>,
  };
}

/** Form-data names and file names are quoted strings: escape what would end them. */
function quote(value: string): string {
  return value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));
}
