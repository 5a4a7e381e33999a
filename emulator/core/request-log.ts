/** What the emulator received, so tests can assert what gongflow actually sent. */
export interface RequestLogEntry {
  seq: number;
  /** When the answer was sent (or the connection dropped). */
  time: string;
  /** When the request arrived: `time` minus the latency fault and the handling. */
  receivedAt: string;
  /** `app` or the company ID whose API host received the request. */
  host: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** `basic:<accessKey>`, `bearer:<first 8 chars>…`, `none`, or `client:<clientId>` on the token endpoint. */
  auth: string;
  body: unknown;
  status: number;
  requestId: string | null;
  headers: Record<string, string>;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  constructor(private readonly capacity = 5_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ ...entry, seq: ++this.seq });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { host?: string; path?: string; sinceSeq?: number } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.host === undefined || entry.host === filter.host) &&
        (filter.path === undefined || entry.path === filter.path) &&
        (filter.sinceSeq === undefined || entry.seq > filter.sinceSeq),
    );
  }

  clear(): void {
    this.entries = [];
    this.internalErrors = [];
  }

  /** Bugs in the emulator itself (answered as Gong's 500); kept so tests can surface them. */
  internalErrors: string[] = [];

  noteInternalError(error: unknown): void {
    this.internalErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
