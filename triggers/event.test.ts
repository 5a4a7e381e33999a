import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { compileTemplate } from '../definitions/template';
import { prepareEvent, scheduleEvent } from './event';

const fire = (iso: string) =>
  scheduleEvent({
    scheduleId: 'gongflow-schedule/report/schedule/acme',
    connectionId: 'acme',
    at: new Date(iso),
  });

test('a schedule fire carries its own time and an event id of its own', () => {
  expect(fire('2026-05-04T06:00:00.000Z')).toEqual({
    kind: 'schedule',
    eventId: 'gongflow-schedule/report/schedule/acme@2026-05-04T06:00:00Z',
    connection: 'acme',
    scheduledTime: '2026-05-04T06:00:00Z',
  });
  expect(fire('2026-05-11T06:00:00Z').eventId).not.toBe(fire('2026-05-04T06:00:00Z').eventId);
});

test("docs/language.md's schedule example maps last week of each fire, verbatim", () => {
  const doc = readFileSync(path.resolve(__dirname, '../docs/language.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const block = blocks.find(
    (text) => text.includes('kind: schedule') && text.includes('trigger.scheduledTime'),
  );
  const { triggers } = parse(block ?? '') as { triggers: Array<{ kind: string; input: unknown }> };
  const schedule = triggers.find((trigger) => trigger.kind === 'schedule');
  const input = compileTemplate(schedule?.input);
  expect(prepareEvent({ input }, fire('2026-05-04T06:00:00Z'))).toEqual({
    accepted: true,
    input: { fromDate: '2026-04-27' },
  });
  expect(prepareEvent({ input }, fire('2026-05-11T06:00:00Z'))).toEqual({
    accepted: true,
    input: { fromDate: '2026-05-04' },
  });
});
