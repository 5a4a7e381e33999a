import { z } from 'zod';
import type { RetryDefaults } from './types';

/**
 * Schema pieces shared by catalog entries. Objects are `looseObject`: Gong adds fields without notice
 * ("Forward Compatibility" in its docs), and a new field must never fail a run.
 */

/** Gong IDs are numeric strings of up to 20 digits; they exceed 2^53 and stay strings end to end. */
export const GongId = z.string().regex(/^\d{1,20}$/, 'a Gong ID is a string of up to 20 digits');

/** Numeric IDs Gong sends as JSON numbers; our lossless parser turns unsafe integers into digit strings. */
export const GongNumericId = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

export const IsoDateTime = z.string().describe('ISO-8601 date-time, e.g. 2024-05-01T00:00:00Z');

export const DEFAULT_READ_RETRY: RetryDefaults = {
  maximumAttempts: 8,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
};

/** Writes that are not idempotent are attempted a few times only; 5xx may mean "done but unanswered". */
export const DEFAULT_WRITE_RETRY: RetryDefaults = {
  maximumAttempts: 3,
  initialIntervalMs: 2_000,
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

export const RequestId = z.string().describe('Gong request reference, also sent as the x-traceid header.');

/** Paging block of list responses: `currentPageNumber` is 0-based; `cursor` is absent on the last page. */
export const PageRecords = z.looseObject({
  totalRecords: z.number().int().nonnegative(),
  currentPageSize: z.number().int().nonnegative(),
  currentPageNumber: z.number().int().nonnegative(),
  cursor: z.string().optional(),
});
