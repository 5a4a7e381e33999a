import { GONG_ACTIONS } from '../gong/catalog';
import { actionOutputSchema } from '../gong/catalog/output';
import { CelTypeRegistry, DYN } from './cel-types';
import { TRIGGER_PAYLOADS, type TriggerKind } from './triggers';

/**
 * CEL types every definition may need, registered once per process: the output of every catalog action,
 * every trigger payload and gongflow's own shapes. Each compilation forks this registry (a cheap clone) and
 * adds its own types (input, signal payloads, steps), so validating a definition does not rebuild the
 * catalog's types.
 */
export interface SharedCelTypes {
  registry: CelTypeRegistry;
  /** Output type of each action, by action name. */
  actionOutputs: ReadonlyMap<string, string>;
  triggerPayloads: ReadonlyMap<TriggerKind, string>;
  error: string;
  run: string;
  httpResponse: string;
  approval: string;
}

let shared: SharedCelTypes | undefined;

export function sharedCelTypes(): SharedCelTypes {
  if (shared) return shared;
  const registry = new CelTypeRegistry();
  const actionOutputs = new Map<string, string>();
  for (const action of GONG_ACTIONS.values()) {
    let type = DYN;
    try {
      type = registry.typeOf(actionOutputSchema(action), `${action.name}.output`);
    } catch {
      // An entry whose output cannot be derived reads as dyn rather than breaking validation.
    }
    actionOutputs.set(action.name, type);
  }
  const triggerPayloads = new Map<TriggerKind, string>();
  for (const [kind, schema] of Object.entries(TRIGGER_PAYLOADS) as Array<
    [TriggerKind, (typeof TRIGGER_PAYLOADS)[TriggerKind]]
  >)
    triggerPayloads.set(kind, registry.typeOf(schema, `trigger.${kind}`));
  shared = {
    registry,
    actionOutputs,
    triggerPayloads,
    error: registry.register('gongflow.Error', { type: 'string', message: 'string', step: DYN }),
    run: registry.register('gongflow.Run', {
      id: 'string',
      definition: 'string',
      hash: 'string',
      connection: DYN,
    }),
    httpResponse: registry.register('gongflow.HttpResponse', {
      status: 'int',
      headers: 'map<string, string>',
      body: DYN,
    }),
    approval: registry.register('gongflow.Approval', { approved: 'bool', by: DYN, comment: DYN, at: DYN }),
  };
  return shared;
}
