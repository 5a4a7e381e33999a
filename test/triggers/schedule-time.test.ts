import { randomUUID } from 'node:crypto';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { deployTriggers } from '../../triggers/deploy';
import { scheduleId } from '../../triggers/ids';
import { saveHistory } from '../interpreter/support';
import { startTestEngine, type TestEngine } from '../support/engine';
import { runsOf, waitFor } from './support';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

const WEEK_MS = 7 * 86_400_000;

/** A weekly schedule whose runs report the fire they saw and the window their mapping made from it. */
function weeklyPlan(
  name: string,
  mapping = 'isoDateTime(timestamp(trigger.scheduledTime) - duration("168h"))',
): Plan {
  const text = `
name: ${name}
version: 1
input:
  from: { type: string }
  to: { type: string }
triggers:
  - kind: schedule
    cron: '0 8 * * MON'
    timezone: Europe/Paris
    input:
      from: '\${{ ${mapping} }}'
      to: '\${{ trigger.scheduledTime }}'
steps:
  - id: noop
    set: { seen: '\${{ trigger }}' }
output:
  from: \${{ input.from }}
  to: \${{ input.to }}
  eventId: \${{ trigger.eventId }}
  scheduledTime: \${{ trigger.scheduledTime }}
`;
  const compiled = compileDefinition(text, `${name}.yaml`);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.plan;
}

interface FireOutput {
  from: string;
  to: string;
  eventId: string;
  scheduledTime: string;
}

test('each fire of a schedule (now and backfilled) runs with its own time, event id and input', async () => {
  const definition = `weekly-${randomUUID().slice(0, 8)}`;
  const connectionId = 'emulator';
  await deployTriggers(engine.client, {
    plan: weeklyPlan(definition),
    connectionId,
    taskQueue: engine.taskQueue,
  });
  const id = scheduleId(definition, 'schedule', connectionId);
  const handle = engine.client.schedule.getHandle(id);
  await handle.trigger();
  // Fourteen days back hold exactly two Mondays at 08:00 (Paris).
  await handle.backfill({ start: new Date(Date.now() - 2 * WEEK_MS), end: new Date(), overlap: 'ALLOW_ALL' });

  const runs = await waitFor(async () => {
    const found = await runsOf(engine.client, definition);
    return found.size >= 3 ? [...found.keys()] : undefined;
  }, 'three scheduled runs');
  expect(runs).toHaveLength(3);
  const fires = await Promise.all(
    runs.map(async (workflowId) => {
      const run = engine.client.workflow.getHandle(workflowId);
      const output = (await run.result()) as FireOutput;
      // What Temporal itself recorded as the fire's nominal time (the dev server sets it on every schedule start).
      const stamped = (await run.describe()).searchAttributes['TemporalScheduledStartTime'] as
        Date[] | undefined;
      return { workflowId, output, stamped: stamped?.[0]?.toISOString() };
    }),
  );
  for (const { output, stamped } of fires) {
    expect(stamped).toBeDefined();
    expect(Date.parse(output.scheduledTime)).toBe(Date.parse(stamped ?? ''));
    expect(output.to).toBe(output.scheduledTime);
    expect(Date.parse(output.from)).toBe(Date.parse(output.scheduledTime) - WEEK_MS);
    expect(output.eventId).toBe(`${id}@${output.scheduledTime}`);
  }
  const backfilled = fires
    .map(({ output }) => output.scheduledTime)
    .filter((time) => {
      const paris = new Date(time).toLocaleString('en-GB', {
        timeZone: 'Europe/Paris',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
      return paris === 'Mon 08:00';
    })
    .sort();
  expect(backfilled).toHaveLength(2);
  expect(Date.parse(backfilled[1] ?? '') - Date.parse(backfilled[0] ?? '')).toBe(WEEK_MS);
  expect(new Set(fires.map(({ output }) => output.eventId)).size).toBe(3);
  // The replay suite keeps a run that mapped its input from its fire (test/histories/schedule-fire.json).
  const recorded = fires.find(({ output }) => output.scheduledTime === backfilled[0]);
  if (recorded && process.env['GONGFLOW_RECORD_HISTORIES'] === '1')
    await saveHistory(engine.client.workflow.getHandle(recorded.workflowId), 'schedule-fire');
}, 120_000);

test('deploy tries the mapping on a sample fire: one that cannot work fails with a code', async () => {
  const plan = weeklyPlan(`badmap-${randomUUID().slice(0, 8)}`, 'isoDateTime(timestamp(trigger.eventId))');
  await expect(
    deployTriggers(engine.client, { plan, connectionId: 'emulator', taskQueue: engine.taskQueue }),
  ).rejects.toMatchObject({ code: 'TRIGGER_INPUT_MAPPING' });
});
