import {
  CancellationScope,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { isBlobRef, type BlobRef } from './blob-ref';
import { PATCHES } from './patches';
import type { ForEachStepPlan, StepPlan } from '../../definitions/plan';
import { evaluateExpressionIn, evaluateIn } from './evaluate';
import { describeFailure, INTERPRETER_FAILURE_TYPES, RunSucceeded, failure } from './failures';
import type { Executor } from './executor';
import { iterationFrame, type Frame } from './frame';
import type { RerunArgs } from './reuse';

/** Above this many concurrent iterations a run would near Temporal's 2,000 pending operations per run. */
export const MAX_CONCURRENCY = 500;

/**
 * forEach: runs the body once per item, at most `concurrency` at a time, and outputs the per-item
 * results in item order (the `output` template, else the body's last output). Each iteration sees the
 * item as `<as>` and its index as `<as>Index`, and has its own copy of steps and vars: what an iteration
 * sets is not visible to others or after the loop. The first failing iteration cancels the others and
 * fails the step. More items than `maxItems` fail the step before any iteration starts.
 *
 * Lists longer than the batch size run in child workflows (`forEachBatch`), one batch after another,
 * so neither the pending-operation limit nor the history limit is reached however long the list is.
 */
const listActivities = proxyActivities<Pick<Activities, 'blobListLength' | 'readBlobSlice'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [INTERPRETER_FAILURE_TYPES.tooManyItems] },
  summary: 'read a stored list',
});

/** Where a forEach's items are: in the workflow, or in the blob store (a large list, read batch by batch). */
type ItemSource = { items: unknown[] } | { ref: BlobRef; length: number };

export async function runForEach(step: ForEachStepPlan, frame: Frame, exec: Executor): Promise<unknown[]> {
  const items = await evaluateExpressionIn(frame, step.items, `${step.id}.items`);
  if (isBlobRef(items) && patched(PATCHES.forEachBlobList)) {
    const where = `Step ${step.id}`;
    const length = await listActivities.blobListLength({ ref: items, where });
    checkMaxItems(step, length);
    const batchSize = batchSizeFor(step, frame);
    if (length > batchSize) return runInBatches(step, frame, { ref: items, length }, batchSize);
    const loaded = await listActivities.readBlobSlice({ ref: items, start: 0, end: length, where });
    return runIterations(step, frame, exec, loaded, 0);
  }
  if (!Array.isArray(items)) {
    throw failure(
      INTERPRETER_FAILURE_TYPES.tooManyItems,
      `Step ${step.id}: items must be a list, got ${items === null ? 'null' : typeof items} (in \`${step.items.expr}\`).`,
    );
  }
  checkMaxItems(step, items.length);
  const batchSize = batchSizeFor(step, frame);
  if (items.length > batchSize) return runInBatches(step, frame, { items }, batchSize);
  return runIterations(step, frame, exec, items, 0);
}

function checkMaxItems(step: ForEachStepPlan, count: number): void {
  if (count > step.maxItems) {
    throw failure(
      INTERPRETER_FAILURE_TYPES.tooManyItems,
      `Step ${step.id}: ${count} items exceed maxItems ${step.maxItems}. Raise maxItems or filter the list.`,
    );
  }
}

/** A batch child's items: given, or read from the stored list. */
export async function batchItems(args: ForEachBatchArgs): Promise<unknown[]> {
  if (!args.itemsRef) return args.items;
  return listActivities.readBlobSlice({
    ref: args.itemsRef,
    start: args.offset,
    end: args.offset + args.count,
    where: `Step ${args.step.id}`,
  });
}

/** Iterations per child: fewer when the body is long, so one child's history stays well below its limits. */
function batchSizeFor(step: ForEachStepPlan, frame: Frame): number {
  const bodySteps = Math.max(1, countSteps(step.steps));
  return Math.max(1, Math.min(frame.run.limits.forEachBatchSize, Math.floor(2_000 / bodySteps)));
}

function countSteps(steps: StepPlan[]): number {
  let count = 0;
  for (const step of steps) {
    count += 1;
    switch (step.kind) {
      case 'if':
        count += countSteps(step.then) + countSteps(step.else);
        break;
      case 'switch':
        count += step.cases.reduce((sum, branch) => sum + countSteps(branch.steps), countSteps(step.default));
        break;
      case 'parallel':
        count += step.branches.reduce((sum, branch) => sum + countSteps(branch.steps), 0);
        break;
      case 'forEach':
        count += countSteps(step.steps) * Math.min(step.maxItems, 10);
        break;
      case 'try':
        count +=
          countSteps(step.steps) + countSteps(step.catch?.steps ?? []) + countSteps(step.finally ?? []);
        break;
      default:
        break;
    }
  }
  return count;
}

/** Runs iterations for `items` (which start at `offset` in the whole list) with the concurrency cap. */
export async function runIterations(
  step: ForEachStepPlan,
  frame: Frame,
  exec: Executor,
  items: unknown[],
  offset: number,
): Promise<unknown[]> {
  const outputs: unknown[] = new Array<unknown>(items.length).fill(null);
  const group = new CancellationScope();
  let next = 0;
  let firstError: unknown;
  const lane = async (): Promise<void> => {
    while (next < items.length && firstError === undefined) {
      const index = next++;
      const absolute = offset + index;
      const iteration = iterationFrame(
        frame,
        { [step.as]: items[index], [`${step.as}Index`]: absolute },
        `${frame.path}${step.id}[${absolute}]/`,
      );
      try {
        const last = await group.run(() => exec.steps(step.steps, iteration));
        outputs[index] = step.output ? await evaluateIn(iteration, step.output, `${step.id}.output`) : last;
      } catch (error) {
        if (firstError === undefined || (isCancellation(firstError) && !isCancellation(error))) {
          if (firstError === undefined) group.cancel();
          firstError = error;
        }
      }
    }
  };
  const lanes = Math.max(1, Math.min(step.concurrency, MAX_CONCURRENCY, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (firstError !== undefined) throw firstError as Error;
  return outputs;
}

/** What a batch child returns: its outputs, or the output of a `succeed` reached inside it. */
export type ForEachBatchResult = { outputs: unknown[] } | { succeeded: unknown };

export interface ForEachBatchArgs {
  step: ForEachStepPlan;
  /** The batch's items; empty when they are read from `itemsRef`. */
  items: unknown[];
  itemsRef?: BlobRef;
  offset: number;
  count: number;
  /** The parent's frame, minus the run (rebuilt by the child from `run`). */
  scope: { steps: Frame['steps']; vars: Frame['vars']; locals: Frame['locals']; path: string };
  /** A rerun of a batch that failed: what to reuse of its iterations. */
  rerun?: RerunArgs;
  run: {
    plan: Frame['run']['plan'];
    workflowId: string;
    connectionId: string | undefined;
    input: Record<string, unknown>;
    trigger: unknown;
    limits: Frame['run']['limits'];
  };
}

async function runInBatches(
  step: ForEachStepPlan,
  frame: Frame,
  source: ItemSource,
  batchSize: number,
): Promise<unknown[]> {
  const outputs: unknown[] = [];
  const { run } = frame;
  const length = 'items' in source ? source.items.length : source.length;
  for (let offset = 0; offset < length; offset += batchSize) {
    const count = Math.min(batchSize, length - offset);
    // Each batch is recorded as `<path>#<offset>`: a rerun reuses the batches that completed as a whole.
    const batchPath = `${frame.path}${step.id}#${offset}`;
    const reused = run.reuse?.step(batchPath);
    if (reused && Array.isArray(reused.output)) {
      outputs.push(...(reused.output as unknown[]));
      run.record.copy(batchPath, reused);
      continue;
    }
    const rerun = run.reuse?.child(batchPath);
    const args: ForEachBatchArgs = {
      step,
      items: 'items' in source ? source.items.slice(offset, offset + count) : [],
      ...('ref' in source ? { itemsRef: source.ref } : {}),
      offset,
      count,
      scope: { steps: frame.steps, vars: frame.vars, locals: frame.locals, path: frame.path },
      run: {
        plan: { ...run.plan, steps: [] },
        workflowId: run.workflowId,
        connectionId: run.connectionId,
        input: run.input,
        trigger: run.trigger,
        limits: run.limits,
      },
      ...(rerun ? { rerun } : {}),
    };
    const workflowId = `${run.workflowId}/${step.id}/${offset}-${uuid4().slice(0, 8)}`;
    run.record.child(batchPath, 'forEachBatch', workflowId);
    let result: ForEachBatchResult;
    try {
      result = await executeChild<(args: ForEachBatchArgs) => Promise<ForEachBatchResult>>('forEachBatch', {
        args: [args],
        workflowId,
        staticSummary: `${step.id}: items ${offset}..${offset + count - 1}`,
      });
    } catch (error) {
      run.record.ended(batchPath, 'forEachBatch', { status: 'failed', error: describeFailure(error) });
      throw error;
    }
    if ('succeeded' in result) throw new RunSucceeded(result.succeeded);
    run.record.ended(batchPath, 'forEachBatch', { status: 'completed', output: result.outputs });
    outputs.push(...result.outputs);
  }
  return outputs;
}
