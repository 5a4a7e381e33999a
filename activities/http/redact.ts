import { ApplicationFailure, CancelledFailure } from '@temporalio/common';

/** What a redacted secret reads as. */
export const REDACTED = '[redacted]';

/** URL parts of a secret URL shorter than this are not worth hiding on their own (`/`, `/v1`). */
const MIN_PART_LENGTH = 4;

/**
 * The spellings a value takes on its way through a request and back: as is, percent-encoded the way a
 * path, a query or a form encodes it, and JSON-escaped. Matching ignores case (host names are lower-cased,
 * percent-escapes come in either case).
 */
function spellings(value: string): string[] {
  const forms = new Set<string>([value]);
  const encoders: Array<(text: string) => string> = [
    encodeURIComponent,
    encodeURI,
    (text) => new URLSearchParams({ v: text }).toString().slice(2),
    (text) => new URL(`http://host/${text}`).pathname.slice(1),
    (text) => JSON.stringify(text).slice(1, -1),
  ];
  for (const encode of encoders) {
    try {
      forms.add(encode(value));
    } catch {
      // not encodable that way (lone surrogates): it cannot appear that way either
    }
  }
  return [...forms];
}

/** A secret that is a URL (a Slack webhook): its host, path and query are each a secret too. */
function urlParts(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  return [
    url.href,
    url.host,
    url.hostname,
    `${url.pathname}${url.search}`,
    url.pathname,
    url.search.slice(1),
    decodeURIComponentSafe(url.username),
    decodeURIComponentSafe(url.password),
  ].filter((part) => part.length >= MIN_PART_LENGTH);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Removes secret values from everything that leaves an `http` step's activity: failure messages, stack
 * traces and details, and the response it returns (a server may echo a header or the URL). The values are
 * the secrets the activity filled in and what their expressions made of them (`"Bearer " + secrets.token`),
 * in each spelling they may take on the way (see `spellings`).
 */
export class Redactor {
  private readonly pattern: RegExp | undefined;

  constructor(values: Iterable<string>) {
    const needles = new Set<string>();
    for (const value of values) {
      if (value.length === 0) continue;
      for (const part of [value, ...urlParts(value)]) for (const form of spellings(part)) needles.add(form);
    }
    // Longest first, so `Bearer abc` is replaced whole rather than leaving `Bearer `.
    const sorted = [...needles].filter(Boolean).sort((a, b) => b.length - a.length);
    this.pattern =
      sorted.length > 0
        ? new RegExp(sorted.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi')
        : undefined;
  }

  get empty(): boolean {
    return this.pattern === undefined;
  }

  /** Whether the text holds a secret (a header that does must not follow a redirect to another origin). */
  contains(text: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text);
  }

  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }

  /** Strings (object keys too) inside any JSON-like value. */
  value<T>(value: T): T {
    if (!this.pattern) return value;
    // Most answers hold no secret: one scan of their JSON text (which has every string, escaped the way
    // a needle's JSON spelling is) spares walking a large body string by string.
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined; // not JSON-like (a BigInt somewhere): walk it
    }
    if (json !== undefined && !this.contains(json)) return value;
    return this.walk(value);
  }

  private walk<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.walk(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [
          this.text(key),
          this.walk(item),
        ]),
      ) as T;
    }
    return value;
  }

  /**
   * The error an activity may throw, without secrets: an ApplicationFailure with the same type, retry
   * decision and delay, whose message, stack, details and causes are redacted. Any other error becomes a
   * retryable ApplicationFailure of its name (what Temporal would make of it). Cancellation passes as is.
   */
  error(error: unknown): Error {
    if (error instanceof CancelledFailure) return error;
    if (error instanceof ApplicationFailure) {
      const redacted = new ApplicationFailure(
        this.text(error.message),
        error.type,
        error.nonRetryable,
        this.value(error.details ?? []),
        error.cause ? this.error(error.cause) : undefined,
        error.nextRetryDelay,
        error.category,
      );
      redacted.stack = this.text(error.stack ?? '');
      return redacted;
    }
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const redacted = ApplicationFailure.retryable(this.text(message), name);
    redacted.stack = this.text(error instanceof Error ? (error.stack ?? '') : '');
    return redacted;
  }
}
