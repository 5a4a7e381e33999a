import { setHandler } from '@temporalio/workflow';
import { planRef } from '../definitions/plan';
import { RunSucceeded, toRunFailure } from './interpreter/failures';
import {
  batchItems,
  runIterations,
  type ForEachBatchArgs,
  type ForEachBatchResult,
} from './interpreter/for-each';
import type { Frame } from './interpreter/frame';
import { recordQuery, StepRecorder } from './interpreter/record';
import { Reuse } from './interpreter/reuse';
import { SignalInbox } from './interpreter/signals';
import { executor } from './interpreter/steps';
import { WaitingSteps } from './interpreter/waiting';
import { progressQuery, type RunProgress } from './progress';

/** A slice of a large forEach, run as a child workflow so the parent's history stays small. */
export async function forEachBatch(args: ForEachBatchArgs): Promise<ForEachBatchResult> {
  const progress: RunProgress = {
    definition: planRef(args.run.plan),
    hash: args.run.plan.hash,
    status: 'running',
    steps: [],
    current: [],
  };
  setHandler(progressQuery, () => progress);
  const record = new StepRecorder(undefined, args.rerun?.of);
  setHandler(recordQuery, () => record.snapshot());
  const signals = new SignalInbox();
  signals.install();
  const waiting = new WaitingSteps(args.run.plan, signals);
  waiting.install();
  const frame: Frame = {
    run: {
      ...args.run,
      progress,
      signals,
      waiting,
      record,
      ...(args.rerun ? { reuse: new Reuse(args.rerun) } : {}),
    },
    steps: args.scope.steps,
    vars: args.scope.vars,
    locals: args.scope.locals,
    path: args.scope.path,
  };
  try {
    const items = await batchItems(args);
    const outputs = await runIterations(args.step, frame, executor, items, args.offset);
    progress.status = 'completed';
    return { outputs };
  } catch (error) {
    if (error instanceof RunSucceeded) return { succeeded: error.output };
    progress.status = 'failed';
    throw toRunFailure(error);
  }
}
