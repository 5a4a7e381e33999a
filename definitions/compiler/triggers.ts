import { DYN } from '../cel-types';
import type { Plan, TemplatePlan } from '../plan';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { triggerSettings, type TriggerSource } from '../triggers';
import type { Compilation } from './context';
import { triggerScope } from './environment';
import { compileCondition, compileValue } from './expressions';
import type { Path } from './raw';

/**
 * Triggers: each one's settings, and its `filter` and `input` expressions, which read only `trigger`, typed
 * by that trigger's kind. Input keys must be inputs the definition declares.
 */
export function compileTriggers(c: Compilation, triggers: TriggerSource[]): Plan['triggers'] {
  return triggers.map((trigger, index) => {
    const path: Path = ['triggers', index];
    const scope = triggerScope(c, c.shared.triggerPayloads.get(trigger.kind) ?? DYN);
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
    return {
      kind: trigger.kind,
      settings: triggerSettings(trigger),
      ...(filter ? { filter } : {}),
      ...(input ? { input } : {}),
    };
  });
}
