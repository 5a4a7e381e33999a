import type { ProblemDetail } from '../../core/errors';
import type { ParsedSource } from '../../core/yaml-source';
import type { TriggerFixture } from '../../definitions/fixtures-model';
import type { Plan, TriggerPlan } from '../../definitions/plan';
import { closest } from '../../definitions/problems';
import { TRIGGER_PAYLOADS, type TriggerKind } from '../../definitions/triggers';
import { fillOmittedFields } from '../../gong/catalog/omitted-fields';
import { prepareEvent, type PreparedEvent, type TriggerEvent } from '../../triggers/event';

/** Connection id of test runs: the fixtures answer every Gong call, so no connection is ever resolved. */
export const FIXTURES_CONNECTION_ID = 'fixtures';

/** The trigger of the plan a fixture names (or the only one), if there is one. */
export function fixtureTrigger(plan: Plan, kind: string | undefined): TriggerPlan | undefined {
  if (kind === undefined) return plan.triggers.length === 1 ? plan.triggers[0] : undefined;
  return plan.triggers.find((trigger) => trigger.kind === kind);
}

/** The event a trigger fixture stands for: the payload, with where it comes from filled in. */
export function fixtureEvent(
  caseName: string,
  trigger: TriggerPlan,
  payload: Record<string, unknown>,
): TriggerEvent {
  return {
    kind: trigger.kind,
    eventId: `gongflow-test-${caseName}`,
    connection: FIXTURES_CONNECTION_ID,
    ...payload,
  };
}

/**
 * What the trigger does with the event, as `gongflow server` does it (triggers/start-event-run.ts):
 * fields Gong may omit read as null, then the filter and the input mapping.
 */
export function prepareFixtureEvent(
  trigger: TriggerPlan,
  event: TriggerEvent,
): { event: TriggerEvent; prepared: PreparedEvent } {
  const schema = TRIGGER_PAYLOADS[trigger.kind as TriggerKind] as
    (typeof TRIGGER_PAYLOADS)[TriggerKind] | undefined;
  const filled = (schema ? fillOmittedFields(schema, event) : event) as TriggerEvent;
  return { event: filled, prepared: prepareEvent(trigger, filled) };
}

/** Problems of a case's `trigger:`: a kind the definition has, a payload of that kind's shape, no `input:`. */
export function triggerFixtureProblems(
  plan: Plan,
  fixture: Partial<TriggerFixture>,
  at: PropertyKey[],
  source: ParsedSource,
  inputGiven: boolean,
): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  const problem = (
    code: string,
    message: string,
    where: PropertyKey[],
    hint: string,
    atKey = false,
  ): void => {
    problems.push({ code, message, path: where.join('.'), hint, ...source.locate(where, { atKey }) });
  };
  const kinds = plan.triggers.map((trigger) => trigger.kind);
  if (inputGiven)
    problem(
      'TEST_FIXTURES_SCHEMA',
      "A case gives input: or trigger:, not both: the trigger's input mapping makes the input.",
      [...at.slice(0, -1), 'input'],
      'Remove input:, or remove trigger: to start the run with this input directly.',
      true,
    );
  const trigger = fixtureTrigger(plan, fixture.kind);
  if (!trigger) {
    const suggestion = fixture.kind !== undefined ? closest(fixture.kind, kinds) : undefined;
    problem(
      'TEST_FIXTURE_UNKNOWN_TRIGGER',
      kinds.length === 0
        ? `${plan.name} has no triggers.`
        : fixture.kind === undefined
          ? `${plan.name} has ${kinds.length} triggers: say which one starts the case.`
          : `${plan.name} has no ${fixture.kind} trigger.`,
      fixture.kind === undefined ? at : [...at, 'kind'],
      kinds.length === 0
        ? 'Add the trigger to the definition, or give the case an input: instead.'
        : `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Its triggers: ${kinds.join(', ')}.`,
      fixture.kind === undefined,
    );
    return problems;
  }
  const schema = TRIGGER_PAYLOADS[trigger.kind as TriggerKind];
  const event = fixtureEvent('check', trigger, fixture.payload ?? {});
  const result = schema.safeParse(event);
  if (result.success) return problems;
  const payloadAt = [...at, 'payload'];
  const issues = result.error.issues.map((issue) => ({
    issue,
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
  }));
  // A misspelt field is one mistake: reported as unknown with the field it stands for, which is then not
  // also reported missing.
  const missing = issues.filter(
    ({ issue, path }) =>
      issue.code === 'invalid_type' && path.length > 0 && valueAt(event, path) === undefined,
  );
  const standIns = new Set<string>();
  for (const { issue, path } of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const absent = missing
      .filter((entry) => entry.path.slice(0, -1).join('.') === path.join('.'))
      .map((entry) => String(entry.path.at(-1)));
    for (const key of issue.keys) {
      const suggestion = closest(key, absent);
      if (suggestion !== undefined) standIns.add([...path, suggestion].join('.'));
      problem(
        'TEST_FIXTURE_INVALID_TRIGGER',
        `A ${trigger.kind} event has no field "${[...path, key].join('.')}".`,
        [...payloadAt, ...path, key],
        `${suggestion ? `Did you mean "${suggestion}"? ` : ''}See the ${trigger.kind} payload in docs/triggers.md.`,
        true,
      );
    }
  }
  for (const { issue, path } of issues) {
    if (issue.code === 'unrecognized_keys' || standIns.has(path.join('.'))) continue;
    const where = [...payloadAt, ...path];
    problem(
      'TEST_FIXTURE_INVALID_TRIGGER',
      `A ${trigger.kind} event's ${path.join('.') || 'payload'}: ${issue.message}`,
      source.locate(where).line !== undefined ? where : payloadAt,
      `See the ${trigger.kind} payload in docs/triggers.md.`,
    );
  }
  return problems;
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
