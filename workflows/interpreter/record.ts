import { defineQuery } from '@temporalio/workflow';
import type { Plan } from '../../definitions/plan';
import type { Frame } from './frame';

/**
 * What a run remembers of every step that ended, by path: outputs, evaluated inputs, failures and the
 * child workflows steps ran in. The console shows it per step; a rerun reuses the completed entries.
 * It lives in workflow memory only (rebuilt by replay, served by a query), so recording adds nothing to
 * history and changes no command.
 */
export interface RecordedStep {
  kind: string;
  /** `running`: started, not ended yet (or the run stopped while it ran). */
  status: 'running' | 'completed' | 'failed' | 'skipped';
  /** Order in which steps ended in the run: a rerun restores the variables of nested `set` steps in it. */
  seq: number;
  output?: unknown;
  /** The evaluated input of action, http and run steps (http: secrets stay `$secret` references). */
  input?: unknown;
  error?: { type?: string; message: string };
  /** The child workflow the step ran in (`run` steps; `<forEach>#<offset>` entries: one batch). */
  child?: string;
  /** The output was reused from the run this one reruns. */
  reused?: boolean;
}

/** Where a run that continued as new resumed: top-level steps before `nextStep` completed in an earlier history. */
export interface ResumedAt {
  nextStep: number;
  steps: Frame['steps'];
  vars: Frame['vars'];
}

export interface RunRecord {
  steps: Record<string, RecordedStep>;
  resumedAt?: ResumedAt;
  /** The run this one reruns. */
  rerunOf?: string;
  /** With `{ start: true }`: what the run started with, so a rerun can start the same. */
  start?: RunStart;
}

export interface RunStart {
  plan: Plan;
  input: Record<string, unknown>;
  connectionId?: string;
  trigger: unknown;
}

export const recordQuery = defineQuery<RunRecord, [{ start?: boolean }?]>('gongflow.record');

export class StepRecorder {
  private readonly steps: Record<string, RecordedStep> = {};
  private seq = 0;

  constructor(
    private readonly resumedAt?: ResumedAt,
    private readonly rerunOf?: string,
  ) {}

  /** The evaluated input of the step at `path`, recorded before it runs. */
  input(path: string, kind: string, input: unknown): void {
    this.running(path, kind).input = input;
  }

  /** The child workflow the step at `path` runs in. */
  child(path: string, kind: string, workflowId: string): void {
    this.running(path, kind).child = workflowId;
  }

  ended(
    path: string,
    kind: string,
    outcome: Pick<RecordedStep, 'status' | 'output' | 'error' | 'reused'>,
  ): void {
    const earlier = this.steps[path];
    this.steps[path] = {
      kind,
      ...(earlier?.input !== undefined ? { input: earlier.input } : {}),
      ...(earlier?.child !== undefined ? { child: earlier.child } : {}),
      ...outcome,
      seq: ++this.seq,
    };
  }

  /** Copies an entry of the run being rerun (a step nested in a reused one), keeping its input. */
  copy(path: string, entry: RecordedStep): void {
    this.steps[path] = { ...entry, reused: true, seq: ++this.seq };
  }

  snapshot(): RunRecord {
    return {
      steps: this.steps,
      ...(this.resumedAt ? { resumedAt: this.resumedAt } : {}),
      ...(this.rerunOf ? { rerunOf: this.rerunOf } : {}),
    };
  }

  private running(path: string, kind: string): RecordedStep {
    return (this.steps[path] ??= { kind, status: 'running', seq: 0 });
  }
}
