import type { Client } from '@temporalio/client';
import { PLAN_FORMAT_VERSION, type Plan, type TriggerPlan } from '../../definitions/plan';

/** A plan whose runs only record the event they were started for (no Gong calls: runs finish at once). */
export function recordingPlan(name: string, triggers: TriggerPlan[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    name,
    version: '1',
    hash: `test-${name}`,
    input: {},
    triggers,
    steps: [
      {
        id: 'record',
        kind: 'set',
        vars: { eventId: { t: 'expr', e: { expr: 'trigger.eventId' } } },
      },
    ],
    output: { t: 'expr', e: { expr: 'vars.eventId' } },
    requiredScopes: [],
  };
}

export { waitFor } from '../support/wait';

/** Workflow ids of every run of a definition (visibility), with how many executions each id has. */
export async function runsOf(client: Client, definition: string): Promise<Map<string, number>> {
  const runs = new Map<string, number>();
  for await (const execution of client.workflow.list({
    query: `GongflowDefinition = '${definition}' AND WorkflowType = 'orchestration'`,
  }))
    runs.set(execution.workflowId, (runs.get(execution.workflowId) ?? 0) + 1);
  return runs;
}

/**
 * The client as it is a moment after a deploy: a trigger can be described by its id, but the listings
 * (eventually consistent) do not show it yet. Everything else is the real client.
 */
export function listingsNotCaughtUp(client: Client): Client {
  const nothingListed = (): AsyncIterable<never> => ({
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve({ done: true, value: undefined as never }),
    }),
  });
  const withoutListing = <T extends object>(target: T): T =>
    new Proxy(target, {
      get: (object, property) => {
        if (property === 'list') return nothingListed;
        const value: unknown = Reflect.get(object, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      },
    });
  const workflow = withoutListing(client.workflow);
  const schedule = withoutListing(client.schedule);
  return new Proxy(client, {
    get: (object, property) => {
      if (property === 'workflow') return workflow;
      if (property === 'schedule') return schedule;
      return Reflect.get(object, property) as unknown;
    },
  });
}
