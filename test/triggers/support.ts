import type { Client, ScheduleSummary } from '@temporalio/client';
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
  return listingsShowing(client, {});
}

/**
 * The client with its listings behind: workflow listings show nothing, schedule listings show `schedules`
 * (e.g. one deleted since); reads by id are live. Everything else is the real client.
 */
export function listingsShowing(client: Client, listed: { schedules?: readonly ScheduleSummary[] }): Client {
  const showing =
    <T>(items: readonly T[]) =>
    (): AsyncIterable<T> => ({
      [Symbol.asyncIterator]: () => {
        const iterator = items[Symbol.iterator]();
        return { next: () => Promise.resolve(iterator.next()) };
      },
    });
  const withListing = <T extends object>(target: T, list: () => AsyncIterable<unknown>): T =>
    new Proxy(target, {
      get: (object, property) => {
        if (property === 'list') return list;
        const value: unknown = Reflect.get(object, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      },
    });
  const workflow = withListing(client.workflow, showing([]));
  const schedule = withListing(client.schedule, showing(listed.schedules ?? []));
  return new Proxy(client, {
    get: (object, property) => {
      if (property === 'workflow') return workflow;
      if (property === 'schedule') return schedule;
      return Reflect.get(object, property) as unknown;
    },
  });
}
