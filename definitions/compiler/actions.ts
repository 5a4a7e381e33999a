import { findGongAction, GONG_ACTIONS } from '../../gong/catalog';
import { requiredScopes as actionScopes } from '../../gong/catalog/scopes';
import { canBeUnsafe } from '../../gong/catalog/semantics';
import type { StepSources } from '../model';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { checkActionInput } from './action-input';
import type { Compilation, CompiledStep, StepSite } from './context';
import { compileValue } from './expressions';
import type { Path } from './raw';
import type { Recovered } from './shape';
import { resolveRetry } from './retry';

/**
 * An attempt of a Gong action may first wait for the company's budget (3 calls/s shared by every worker),
 * heartbeating while it waits; the catalog's timeout is for the request itself, so the attempt gets more.
 */
export const GONG_BUDGET_WAIT_ALLOWANCE_MS = 5 * 60_000;

/** `action:` steps: the action from the catalog, its input checked against its schema, its scopes. */
export function compileActionStep(
  c: Compilation,
  step: Recovered<StepSources['action']>,
  site: StepSite,
): CompiledStep {
  const { path, common, scope } = site;
  const input = compileValue(c, step.with ?? {}, [...path, 'with'], scope);
  if (step.action === undefined) return { exported: site.own };
  const action = findGongAction(step.action);
  if (!action) {
    const suggestion = closest(step.action, GONG_ACTIONS.keys());
    c.reporter.report(
      CODES.unknownAction,
      `unknown action "${step.action}"`,
      [...path, 'action'],
      suggestion
        ? `Did you mean "${suggestion}"? The catalog is in docs/actions.md.`
        : 'See docs/actions.md for the actions gongflow knows.',
    );
    return { exported: site.own };
  }
  // A `with` that is no mapping was reported as such: its fields are not also reported missing.
  if (step.with !== undefined || c.reporter.rawAt([...path, 'with']) === undefined)
    checkActionInput(c, action.input, input, [...path, 'with'], action.name);
  // Scopes can depend on the input (media URLs of extensive call data): an expression counts as set.
  const scopes = actionScopes(action, step.with ?? {});
  checkScopes(c, action.name, scopes, [...path, 'action']);
  const retry = resolveRetry(c, step.retry, action.retry, [...path, 'retry']);
  if (step.onUnknownOutcome === 'resend' && !canBeUnsafe(action))
    c.reporter.report(
      CODES.invalidValue,
      `onUnknownOutcome: resend has no effect: ${action.name} is ${action.semantics === 'keyed' ? `keyed by ${action.key?.field ?? 'its key'}` : action.semantics}, so a retry is always safe`,
      [...path, 'onUnknownOutcome'],
      'Remove onUnknownOutcome; it is for unsafe writes (docs/semantics.md, "Gong writes").',
    );
  return {
    plan: {
      ...common,
      kind: 'action',
      action: action.name,
      input,
      activity: {
        startToCloseTimeoutMs: step.attemptTimeout ?? action.timeoutMs + GONG_BUDGET_WAIT_ALLOWANCE_MS,
        retry,
        scopes,
      },
      ...(step.onUnknownOutcome === 'resend' ? { onUnknownOutcome: 'resend' as const } : {}),
    },
    exported: site.own,
  };
}

function checkScopes(c: Compilation, actionName: string, scopes: readonly string[], path: Path): void {
  const granted = c.options.connectionScopes;
  if (!granted) return;
  for (const scope of scopes) {
    if (!granted.includes(scope)) {
      const connection = c.options.connectionName
        ? `connection "${c.options.connectionName}"`
        : 'the connection';
      c.reporter.report(
        CODES.missingScope,
        `${actionName} needs the Gong scope ${scope}, which ${connection} was not granted`,
        path,
        `Reconnect ${connection} with ${scope} (OAuth: add it to the app's scopes and authorize again), or run with a connection that has it.`,
      );
    }
  }
}
