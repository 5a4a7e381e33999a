import { ApplicationFailure, defineUpdate, setHandler } from '@temporalio/workflow';
import type { Plan, StepPlan, WaitForSignalStepPlan } from '../../definitions/plan';
import { schemaProblem } from './json-schema';
import type { SignalInbox } from './signals';

/**
 * Steps that wait for a person or another system, and the two updates that reach them. Updates (not bare
 * signals) so the sender learns at once whether its message was taken: an approval of a step that does
 * not exist, is not waiting, or by someone not in `approvers` is refused by the validator, before
 * anything is written to history, and the API answers with the code below.
 */

/** Codes a refused approval or signal carries as its failure type (the API maps them to HTTP statuses). */
export const WAIT_REFUSALS = {
  stepNotFound: 'RUN_STEP_NOT_FOUND',
  notAnApproval: 'RUN_STEP_NOT_APPROVAL',
  notWaiting: 'RUN_STEP_NOT_WAITING',
  ambiguous: 'RUN_STEP_AMBIGUOUS',
  approverNotAllowed: 'RUN_APPROVER_NOT_ALLOWED',
  signalNotFound: 'RUN_SIGNAL_NOT_FOUND',
  signalInvalidPayload: 'RUN_SIGNAL_INVALID_PAYLOAD',
} as const;

/** A decision on an approval step; `by` is an identity the sender verified (API key name, CLI operator). */
export interface ApprovalDecision {
  /** The step id, or its path when the id waits in several places (e.g. `each[2]/approve`). */
  step: string;
  approved: boolean;
  by: string;
  comment?: string;
}

/** What an approval step outputs (`comment` is null when none was given, so expressions can read it). */
export interface ApprovalOutput {
  approved: boolean;
  by: string;
  comment: string | null;
  at: string;
}

export interface ApprovalAccepted {
  step: string;
  approved: boolean;
  by: string;
}

export interface SignalMessage {
  name: string;
  payload?: unknown;
}

/** `waiting`: a step was waiting and took it; `queued`: kept for the next step that waits for the name. */
export interface SignalAccepted {
  name: string;
  delivered: 'waiting' | 'queued';
}

export const approveUpdate = defineUpdate<ApprovalAccepted, [ApprovalDecision]>('gongflow.approve');
export const sendSignalUpdate = defineUpdate<SignalAccepted, [SignalMessage]>('gongflow.sendSignal');

interface WaitingApproval {
  id: string;
  path: string;
  approvers: string[];
  decide: (output: ApprovalOutput) => void;
}

/** Approval steps waiting now, in the order they started waiting. */
export class WaitingSteps {
  private readonly approvals: WaitingApproval[] = [];
  private readonly signalNames = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly inbox: SignalInbox,
  ) {
    for (const step of everyStep(plan.steps.concat(plan.onFailure ?? []))) {
      if (step.kind === 'waitForSignal' && !step.approval) this.signalNames.add(step.signal);
    }
  }

  install(): void {
    setHandler(approveUpdate, (decision) => this.approve(decision), {
      validator: (decision: ApprovalDecision) => {
        checkShape(decision, { step: 'string', approved: 'boolean', by: 'string' });
        this.approvalFor(decision);
      },
    });
    setHandler(sendSignalUpdate, (message) => this.signal(message), {
      validator: (message: SignalMessage) => {
        checkShape(message, { name: 'string' });
        this.checkSignal(message);
      },
    });
  }

  /** Waits for a decision on an approval step; undefined when the timeout passes first. */
  async waitForApproval(
    step: WaitForSignalStepPlan,
    path: string,
    wait: (done: () => boolean) => Promise<boolean>,
  ): Promise<ApprovalOutput | undefined> {
    let decision: ApprovalOutput | undefined;
    const entry: WaitingApproval = {
      id: step.id,
      path,
      approvers: step.approvers ?? [],
      decide: (output) => {
        decision = output;
      },
    };
    this.approvals.push(entry);
    try {
      const decided = await wait(() => decision !== undefined);
      return decided ? decision : undefined;
    } finally {
      this.approvals.splice(this.approvals.indexOf(entry), 1);
    }
  }

  private approve(decision: ApprovalDecision): ApprovalAccepted {
    const entry = this.approvalFor(decision);
    entry.decide({
      approved: decision.approved,
      by: decision.by,
      comment: decision.comment ?? null,
      at: new Date().toISOString(),
    });
    return { step: entry.path, approved: decision.approved, by: decision.by };
  }

  private approvalFor(decision: ApprovalDecision): WaitingApproval {
    const matches = this.approvals.filter((entry) => entry.path === decision.step);
    const candidates = matches.length > 0 ? matches : this.approvals.filter((e) => e.id === decision.step);
    if (candidates.length > 1) {
      throw refusal(
        WAIT_REFUSALS.ambiguous,
        `Step ${decision.step} waits for approval in ${candidates.length} places (${candidates.map((e) => e.path).join(', ')}): name one by its path.`,
      );
    }
    const entry = candidates[0];
    if (!entry) throw this.whyNotWaiting(decision.step);
    if (entry.approvers.length > 0 && !entry.approvers.some((who) => sameIdentity(who, decision.by))) {
      throw refusal(
        WAIT_REFUSALS.approverNotAllowed,
        `${decision.by} may not decide step ${entry.path}: its approvers are ${entry.approvers.join(', ')}.`,
      );
    }
    return entry;
  }

  private whyNotWaiting(step: string): ApplicationFailure {
    const id =
      step
        .split('/')
        .pop()
        ?.replace(/\[\d+\]$/, '') ?? step;
    const declared = [...everyStep(this.plan.steps.concat(this.plan.onFailure ?? []))].find(
      (s) => s.id === id,
    );
    if (!declared) return refusal(WAIT_REFUSALS.stepNotFound, `The run's plan has no step ${step}.`);
    if (declared.kind !== 'waitForSignal' || !declared.approval) {
      return refusal(
        WAIT_REFUSALS.notAnApproval,
        `Step ${step} is a ${declared.kind} step, not an approval.`,
      );
    }
    return refusal(WAIT_REFUSALS.notWaiting, `Step ${step} is not waiting for approval now.`);
  }

  private checkSignal(message: SignalMessage): void {
    if (!this.signalNames.has(message.name)) {
      const known = [...this.signalNames];
      throw refusal(
        WAIT_REFUSALS.signalNotFound,
        `No waitForSignal step of this run waits for "${message.name}"${known.length > 0 ? ` (it waits for: ${known.join(', ')})` : ''}.`,
      );
    }
    const schemas = [...everyStep(this.plan.steps.concat(this.plan.onFailure ?? []))]
      .filter((s): s is WaitForSignalStepPlan => s.kind === 'waitForSignal' && s.signal === message.name)
      .map((s) => (s.approval ? undefined : s.payloadSchema));
    const problems = schemas.map((schema) =>
      schema === undefined ? undefined : schemaProblem(schema as never, message.payload ?? null),
    );
    if (problems.every((problem) => problem !== undefined)) {
      throw refusal(
        WAIT_REFUSALS.signalInvalidPayload,
        `The payload of "${message.name}" does not match what its step expects: ${problems[0]}.`,
      );
    }
  }

  private signal(message: SignalMessage): SignalAccepted {
    this.checkSignal(message);
    const waiting = this.inbox.isWaitingFor(message.name);
    this.inbox.deliver({ name: message.name, payload: message.payload ?? null });
    return { name: message.name, delivered: waiting ? 'waiting' : 'queued' };
  }
}

/**
 * Approvers are API key names or e-mail addresses: compared without case and surrounding spaces, since
 * `Ann@Acme.com` and `ann@acme.com` are the same person to every mail system.
 */
function sameIdentity(listed: string, by: string): boolean {
  return listed.trim().toLowerCase() === by.trim().toLowerCase();
}

/** Update arguments come from any client: a malformed one is refused, never a failed workflow task. */
function checkShape(value: unknown, fields: Record<string, 'string' | 'boolean'>): void {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  for (const [field, type] of Object.entries(fields)) {
    if (typeof record[field] !== type) {
      throw ApplicationFailure.create({
        type: 'RUN_UPDATE_INVALID',
        message: `The update needs "${field}" (${type}).`,
        nonRetryable: true,
      });
    }
  }
}

function refusal(code: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/** Every step of a plan, nested ones included (not the steps of embedded sub-flow plans: those are other runs). */
export function* everyStep(steps: StepPlan[]): Generator<StepPlan> {
  for (const step of steps) {
    yield step;
    switch (step.kind) {
      case 'if':
        yield* everyStep(step.then);
        yield* everyStep(step.else);
        break;
      case 'switch':
        for (const branch of step.cases) yield* everyStep(branch.steps);
        yield* everyStep(step.default);
        break;
      case 'parallel':
        for (const branch of step.branches) yield* everyStep(branch.steps);
        break;
      case 'forEach':
        yield* everyStep(step.steps);
        break;
      case 'try':
        yield* everyStep(step.steps);
        yield* everyStep(step.catch?.steps ?? []);
        yield* everyStep(step.finally ?? []);
        break;
      default:
        break;
    }
  }
}
