import { defineQuery } from '@temporalio/workflow';

export type StepStatus = 'running' | 'completed' | 'skipped' | 'failed';

export interface StepProgress {
  id: string;
  title?: string;
  kind: string;
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  /** Failure message when status is failed. */
  error?: string;
}

export interface RunProgress {
  definition: string;
  hash: string;
  status: 'running' | 'completed' | 'failed';
  /** Steps in the order they started. */
  steps: StepProgress[];
}

/** Query a run for its steps so far: the CLI follows runs with it, the API serves it as the step log. */
export const progressQuery = defineQuery<RunProgress>('gongflow.progress');
