import { DYN } from '../cel-types';
import type { Plan, TemplatePlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { TRIGGER_KINDS, TriggerSchema, triggerSettings, type TriggerSource } from '../triggers';
import type { Compilation } from './context';
import { triggerScope } from './environment';
import { compileCondition, compileValue } from './expressions';
import type { Path } from './raw';
import type { Recovered } from './shape';

/**
 * Triggers: each one's settings, and its `filter` and `input` expressions, which read only `trigger`, typed
 * by that trigger's kind. A trigger with a shape problem still has its expressions checked. Input keys
 * must be inputs the definition declares.
 */
export function compileTriggers(
  c: Compilation,
  triggers: Array<Recovered<TriggerSource> | undefined>,
): Plan['triggers'] {
  return triggers.flatMap((trigger, index) => {
    // An unknown kind is reported where it is written; its expressions have no payload type to check against.
    if (trigger?.kind === undefined) return [];
    const path: Path = ['triggers', index];
    const scope = triggerScope(c, trigger.kind, c.shared.triggerPayloads.get(trigger.kind) ?? DYN);
    const filter =
      trigger.filter === undefined
        ? undefined
        : compileCondition(c, trigger.filter, [...path, 'filter'], scope);
    let input: TemplatePlan | undefined;
    if (trigger.input) {
      input = compileValue(c, trigger.input, [...path, 'input'], scope);
      for (const key of Object.keys(trigger.input)) {
        if (!c.inputNames.has(key)) {
          const suggestion = closest(key, c.inputNames);
          c.reporter.report(
            CODES.unknownReference,
            `the definition declares no input "${key}"`,
            [...path, 'input', key],
            suggestion ? `Did you mean "${suggestion}"?` : 'Declare it under input:, or remove it.',
            true,
          );
        }
      }
    }
    // Settings only of a trigger without problems: with one, no plan is made anyway.
    const complete = TriggerSchema.safeParse(c.reporter.rawAt(path));
    return [
      {
        kind: trigger.kind,
        settings: complete.success ? triggerSettings(complete.data) : {},
        ...(filter ? { filter } : {}),
        ...(input ? { input } : {}),
      },
    ];
  });
}

/** An unknown trigger kind, with the closest known one. */
export function reportUnknownTriggerKind(c: Compilation, value: unknown, path: Path): void {
  const suggestion = typeof value === 'string' ? closest(value, TRIGGER_KINDS) : undefined;
  c.reporter.report(
    CODES.unknownTriggerKind,
    `unknown trigger kind ${JSON.stringify(value)}`,
    path,
    `${suggestion ? `Did you mean "${suggestion}"? ` : ''}kind is one of: ${TRIGGER_KINDS.join(', ')} (docs/triggers.md).`,
  );
}
