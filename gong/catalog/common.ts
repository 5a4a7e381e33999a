import { z } from 'zod';
import type { RetryDefaults, WriteKey } from './types';

/**
 * Schema pieces shared by catalog entries. Objects are `looseObject`: Gong adds fields without notice
 * ("Forward Compatibility" in its docs), and a new field must never fail a run.
 */

/** Gong IDs are numeric strings of up to 20 digits; they exceed 2^53 and stay strings end to end. */
export const GongId = z.string().regex(/^\d{1,20}$/, 'a Gong ID is a string of up to 20 digits');

/** Numeric IDs Gong sends as JSON numbers; our lossless parser turns unsafe integers into digit strings. */
export const GongNumericId = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

export const IsoDateTime = z.string().describe('ISO-8601 date-time, e.g. 2024-05-01T00:00:00Z');

/**
 * An integer Gong's export types as a JSON number but real Gong sends as a JSON string (`"maxRange": "5"`,
 * recorded traffic, issue 18). A codec: the response schema accepts both, and `decodeGongResponse` hands
 * expressions the number, so `q.maxRange > 3` means the same against real Gong, the emulator and the export.
 */
export const IntegerSentAsText = z.codec(
  z.union([z.number().int(), z.string().regex(/^-?\d{1,15}$/)]),
  z.number().int(),
  {
    decode: (value) => (typeof value === 'string' ? Number(value) : value),
    encode: (value) => value,
  },
);

export const DEFAULT_READ_RETRY: RetryDefaults = {
  maximumAttempts: 8,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
};

/**
 * Keyed and unsafe writes. Every retry is safe (an attempt that may have reached Gong is never sent again
 * blindly: see `WriteSemantics`), so the attempts are for what did not reach Gong: 429s, a lost worker before
 * sending, an expired token. Fewer than reads all the same: each one spends the company's budget.
 */
export const DEFAULT_WRITE_RETRY: RetryDefaults = {
  maximumAttempts: 5,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 30_000,
};

/** Input every paginated action accepts besides Gong's own parameters. */
export const PaginationControls = {
  maxItems: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Stop after this many records (gongflow option, not sent to Gong). Default: all pages.'),
};

/**
 * Gong's 404 messages for searches that matched nothing: they mean "no results", not "not found". The calls
 * message is recorded from real Gong; the users, stats and scorecards ones follow the same pattern (Gong's
 * spec: "No stats found" when nothing matches).
 */
export const NO_RESULTS_404 = {
  calls: ['No calls found corresponding to the provided filters'],
  users: ['No users found corresponding to the provided filters'],
  stats: [
    'No users found corresponding to the provided filters',
    'No stats found corresponding to the provided filters',
  ],
  scorecards: ['No scorecards found corresponding to the provided filters'],
} as const;

export const RequestId = z.string().describe('Gong request reference, also sent as the x-traceid header.');

/** Paging block of list responses: `currentPageNumber` is 0-based; `cursor` is absent on the last page. */
export const PageRecords = z.looseObject({
  totalRecords: z.number().int().nonnegative(),
  currentPageSize: z.number().int().nonnegative(),
  currentPageNumber: z.number().int().nonnegative(),
  cursor: z.string().optional(),
});

/** Names of the gongflow-only input fields of paginated actions: the client strips them before calling Gong. */
export const PAGINATION_CONTROL_KEYS: readonly string[] = Object.keys(PaginationControls);

/** Input date-time: ISO-8601 with seconds and a `Z` or `±hh:mm` offset, as Gong's filters expect. */
export const IsoDateTimeInput = z.iso
  .datetime({ offset: true })
  .describe('ISO-8601 date-time with offset, e.g. 2024-05-01T00:00:00Z or 2024-05-01T09:30:00-07:00');

/** Input calendar date `YYYY-MM-DD` (the stats endpoints reject date-times). */
export const IsoDateInput = z.iso.date().describe('Calendar date YYYY-MM-DD');

/**
 * An int64 ID sent in a query string or path (e.g. `integrationId`, `meetingId`): digits, or a safe integer.
 * Prefer the digit string: a YAML number above 2^53 has already lost precision before gongflow sees it.
 */
export const Int64IdInput = z.union([
  z.string().regex(/^\d{1,20}$/, 'an ID is a string of up to 20 digits'),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]);

/**
 * A file for a multipart upload. The activity fetches `url` and streams it to Gong, so media never passes
 * through workflow history; `content` is for small UTF-8 files built in the definition (an LDJSON batch of
 * CRM records), bounded by Temporal's 2 MB payload limit.
 */
export const FileSource = z
  .union([
    z.strictObject({
      url: z.url({ protocol: /^https?$/ }).describe('HTTP(S) URL the activity downloads the file from.'),
      fileName: z.string().min(1).optional().describe('File name sent to Gong; default: last URL segment.'),
      contentType: z.string().min(1).optional().describe('MIME type; default: the download response type.'),
    }),
    z.strictObject({
      content: z.string().describe('The file content as UTF-8 text.'),
      fileName: z.string().min(1).describe('File name sent to Gong.'),
      contentType: z.string().min(1).optional().describe('MIME type; default: application/octet-stream.'),
    }),
  ])
  .meta({ title: 'file: {url} or {content, fileName}' })
  .describe('A file: `{url}` to download and stream, or `{content, fileName}` for small text files.');

/** Shorthands for response fields: Gong sends `null` for absent values and may omit them altogether. */
export const NullableString = z.string().nullish();
export const NullableBoolean = z.boolean().nullish();
export const NullableNumber = z.number().nullish();
export const NullableInt = z.number().int().nullish();
export const NullableStringArray = z.array(z.string()).nullish();

/** The body of write operations that answer nothing but the request reference. */
export const BaseResponse = z.looseObject({ requestId: RequestId });

/** Links to CRM or other systems, as Gong's upload endpoints accept them (`CallUploadContext`). */
export const CrmSystem = z.enum(['Salesforce', 'HubSpot', 'MicrosoftDynamic', 'Generic']);

const ContextFieldInput = z.strictObject({
  name: z.string().describe('Field name.'),
  value: z.unknown().describe('Field value.'),
});

/** A CRM object linked to a call or event (`CallUploadContext` in Gong's spec). */
export const CallUploadContextInput = z.strictObject({
  system: CrmSystem.describe('External system; Gong currently supports Salesforce and Generic here.'),
  objects: z
    .array(
      z.strictObject({
        objectType: z
          .enum(['Opportunity', 'Account', 'Lead', 'Contact', 'User', 'Opportunity,Account'])
          .describe('Object type in the external system.'),
        objectId: z
          .string()
          .min(1)
          .describe('Object ID in the external system (Salesforce IDs: 15 or 18 chars).'),
        fields: z
          .array(ContextFieldInput)
          .optional()
          .describe('Object fields (reserved by Gong for future use).'),
      }),
    )
    .optional()
    .describe('Objects of that system; several deals of one account are not supported.'),
});

/** A CRM object linked to a call party or event actor (`PartyUploadContext`). */
export const PartyUploadContextInput = z.strictObject({
  system: CrmSystem.describe('External system; Gong currently supports Salesforce and Generic here.'),
  objects: z
    .array(
      z.strictObject({
        objectType: z
          .enum(['Lead', 'Contact', 'Account', 'Opportunity', 'User', 'Lead,Contact'])
          .describe('Object type (only for parties outside the company).'),
        objectId: z.string().min(1).describe('Object ID in the external system.'),
        fields: z
          .array(ContextFieldInput)
          .optional()
          .describe('Object fields (reserved by Gong for future use).'),
      }),
    )
    .optional()
    .describe('Objects of that system.'),
});

/**
 * A write keyed by one input field whose repeat Gong refuses with `status` (409 Conflict by default), and whose
 * output holds nothing Gong made up: the existing object is rebuilt from the input (`output`).
 */
export function keyedByInput(
  field: string,
  output: (input: Record<string, unknown>) => Record<string, unknown>,
  repeated: WriteKey['repeated'] = { status: 409 },
): WriteKey {
  return { field, repeated, existing: { from: 'input', output } };
}
