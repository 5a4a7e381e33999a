import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { ReserveRequest } from '../../workflows/gong-budget';
import { budgetWorkflowId, type BudgetLimits, type Reservation } from './reservation';

/** Reserves send slots for a company's Gong requests. */
export interface GongBudget {
  reserve(companyKey: string): Promise<Reservation>;
}

const RESERVE_UPDATE = 'gongflow.budget.reserve';

/** The budget kept by one `gongBudget` entity workflow per company, shared by every worker. */
export class TemporalGongBudget implements GongBudget {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: BudgetLimits,
  ) {}

  async reserve(companyKey: string): Promise<Reservation> {
    const request: ReserveRequest = { nowMs: Date.now(), limits: this.limits };
    // An idle budget workflow may be closing just as we call; one fresh attempt starts a new one.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const startWorkflowOperation = new WithStartWorkflowOperation('gongBudget', {
          workflowId: budgetWorkflowId(companyKey, this.taskQueue),
          taskQueue: this.taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [],
        });
        return await this.client.workflow.executeUpdateWithStart<Workflow, Reservation, [ReserveRequest]>(
          RESERVE_UPDATE,
          {
            startWorkflowOperation,
            args: [request],
          },
        );
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }
}

/**
 * Waits until a reserved slot, reporting liveness (activity heartbeats) after every full `tickMs` of waiting.
 * Shorter waits report nothing: the SDK sends the first heartbeat at once and throttles the next ones (to
 * 0.8 x the heartbeat timeout), so an early empty heartbeat would hold back the first page's progress, the
 * one a retry after a crash resumes from.
 */
export async function waitForSlot(atMs: number, onTick: () => void, tickMs = 5_000): Promise<void> {
  for (let remaining = atMs - Date.now(); remaining > 0; remaining = atMs - Date.now()) {
    const chunk = Math.min(remaining, tickMs);
    await new Promise((resolve) => setTimeout(resolve, chunk));
    if (chunk === tickMs) onTick();
  }
}
