import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../core/failure-types';
import { EXPRESSION_LIMITS } from '../definitions/expression-limits';
import { ExpressionEvaluationError } from '../definitions/expressions';
import type { TemplatePlan } from '../definitions/plan';
import { evaluateTemplate } from '../definitions/template';
import type { BlobRef } from '../workflows/interpreter/blob-ref';
import { offloadIfLarge, resolveBlobs, type BlobSettings } from './blob-store';

async function storedList(blobs: BlobSettings, ref: BlobRef, where: string): Promise<unknown[]> {
  const value = await resolveBlobs(blobs, ref);
  if (!Array.isArray(value)) {
    throw ApplicationFailure.create({
      type: 'ForEachLimitError',
      nonRetryable: true,
      message: `${where}: items must be a list, got ${value === null ? 'null' : typeof value}.`,
    });
  }
  return value as unknown[];
}

export interface EvaluateWithBlobsArgs {
  template: TemplatePlan;
  /** The part of the expression context the template reads, with blob references in it. */
  context: Record<string, unknown>;
  /** Step and field, for error messages. */
  where: string;
}

export function createBlobActivities(blobs: BlobSettings) {
  return {
    /** Evaluates expressions that read stored results: loads them, evaluates, stores a large answer again. */
    async evaluateWithBlobs(args: EvaluateWithBlobsArgs): Promise<unknown> {
      const context = (await resolveBlobs(blobs, args.context)) as Record<string, unknown>;
      let value: unknown;
      try {
        // Large data, and no workflow task to keep short: the larger budget of stored results.
        value = evaluateTemplate(args.template, context, {
          maxCost: EXPRESSION_LIMITS.maxCostOverStoredResults,
        });
      } catch (error) {
        if (!(error instanceof ExpressionEvaluationError)) throw error;
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.expression,
          nonRetryable: true,
          message: `Expression at ${args.where} failed: ${error.message.split('\n')[0]} (in \`${error.expression}\`).`,
        });
      }
      return offloadIfLarge(blobs, value);
    },

    /** How many items a stored list has (a forEach over a large list plans its batches with it). */
    async blobListLength(args: { ref: BlobRef; where: string }): Promise<number> {
      return (await storedList(blobs, args.ref, args.where)).length;
    },

    /** Items `start`..`end` (exclusive) of a stored list: what one forEach batch iterates over. */
    async readBlobSlice(args: {
      ref: BlobRef;
      start: number;
      end: number;
      where: string;
    }): Promise<unknown[]> {
      return (await storedList(blobs, args.ref, args.where)).slice(args.start, args.end);
    },
  };
}
