/** An error answer of the gongflow API: its stable code, message, fix and details, plus the HTTP status. */
export class GongflowApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Array<Record<string, unknown>>;

  constructor(
    status: number,
    body: { code: string; message: string; hint?: string; details?: Array<Record<string, unknown>> },
  ) {
    super(body.message);
    this.name = 'GongflowApiError';
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details ?? [];
  }
}
