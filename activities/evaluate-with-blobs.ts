import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../core/failure-types';
import { ExpressionEvaluationError } from '../definitions/expressions';
import type { TemplatePlan } from '../definitions/plan';
import { evaluateTemplate } from '../definitions/template';
import { offloadIfLarge, resolveBlobs, type BlobSettings } from './blob-store';

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
        value = evaluateTemplate(args.template, context);
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
  };
}
