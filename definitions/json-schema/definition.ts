import { findGongAction, GONG_ACTIONS, GONG_REQUEST_ACTION_NAME } from '../../gong/catalog';
import { DefinitionSchema, STEP_MARKERS, STEP_SCHEMAS } from '../model';
import { TRIGGER_KINDS, TriggerSchema } from '../triggers';
import {
  allowExpressions,
  describedEnum,
  dispatch,
  EXPRESSION_SCHEMA,
  isObject,
  linkStepLists,
  ref,
  shareRepeatedParts,
  toJson,
  type JsonObject,
} from './convert';

export const DEFINITION_SCHEMA_ID = 'https://gongflow.dev/schema/definition.schema.json';

/** Keys every step has, besides its kind. */
const COMMON_STEP_KEYS = ['id', 'title', 'when', 'timeout'];

/**
 * The published JSON Schema of definition files, generated from the zod model and the Gong action catalog
 * (never written by hand): every action name with its summary, each action's `with` (a choice on
 * `action`), every step kind (a choice on its key), every trigger kind with its settings and filter.
 */
export function generateDefinitionSchema(): JsonObject {
  const root = linkStepLists(toJson(DefinitionSchema)) as JsonObject;
  const properties = { ...(root['properties'] as JsonObject) };
  properties['triggers'] = { ...(properties['triggers'] as JsonObject), items: ref('trigger') };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: DEFINITION_SCHEMA_ID,
    title: 'gongflow definition',
    description: 'A gongflow orchestration definition (YAML or JSON). Reference: docs/language.md.',
    ...root,
    properties,
    definitions: shareRepeatedParts({
      expression: EXPRESSION_SCHEMA,
      step: stepSchema(),
      ...Object.fromEntries(STEP_MARKERS.map((marker) => [`${marker}Step`, kindSchema(marker)])),
      actionName: actionNames(),
      ...Object.fromEntries(actionNamesWithInput().map((name) => [`with.${name}`, actionInput(name)])),
      trigger: triggerSchema(),
      ...Object.fromEntries(
        TriggerSchema.options.map((option) => [`${option.shape.kind.value}Trigger`, toJson(option)]),
      ),
    }),
  };
}

/** A step: its id, and exactly one kind, whose key chooses the schema of the rest. */
function stepSchema(): JsonObject {
  const common = (toJson(STEP_SCHEMAS.set)['properties'] ?? {}) as JsonObject;
  return {
    type: 'object',
    description: `A step: an id and exactly one kind: ${STEP_MARKERS.join(', ')}.`,
    properties: {
      ...Object.fromEntries(COMMON_STEP_KEYS.map((key) => [key, common[key] ?? {}])),
      ...Object.fromEntries(
        STEP_MARKERS.map((marker) => [marker, { description: STEP_SCHEMAS[marker].description ?? marker }]),
      ),
    },
    required: ['id'],
    anyOf: STEP_MARKERS.map((marker) => ({ required: [marker] })),
    ...dispatch(STEP_MARKERS.map((marker) => ({ when: { required: [marker] }, then: ref(`${marker}Step`) }))),
  };
}

function kindSchema(marker: (typeof STEP_MARKERS)[number]): JsonObject {
  const schema = linkStepLists(toJson(STEP_SCHEMAS[marker])) as JsonObject;
  if (marker !== 'action') return { title: `${marker} step`, ...schema };
  const properties = { ...(schema['properties'] as JsonObject), action: ref('actionName') };
  return {
    title: 'action step',
    ...schema,
    properties,
    ...dispatch(
      actionNamesWithInput().map((name) => ({
        when: { properties: { action: { const: name } }, required: ['action'] },
        then: {
          properties: { with: ref(`with.${name}`) },
          // An action with required inputs needs `with` at all (zod reports the missing fields).
          ...(hasRequiredInput(name) ? { required: ['with'] } : {}),
        },
      })),
    ),
  };
}

function hasRequiredInput(name: string): boolean {
  const action = findGongAction(name);
  const required = action ? toJson(action.input)['required'] : undefined;
  return Array.isArray(required) && required.length > 0;
}

function actionNamesWithInput(): string[] {
  return [...GONG_ACTIONS.keys(), GONG_REQUEST_ACTION_NAME];
}

function actionNames(): JsonObject {
  return {
    description: 'A Gong action from the catalog (docs/actions.md).',
    ...describedEnum(
      actionNamesWithInput().map((name) => {
        const action = findGongAction(name);
        const scopes = action?.scopes.length ? action.scopes.join(', ') : 'none documented';
        return {
          value: name,
          markdown: `${action?.summary ?? name}\n\n\`${action?.method ?? ''} ${action?.path ?? ''}\` · scopes: ${scopes}`,
        };
      }),
    ),
  };
}

/** An action's input: its catalog schema, every value of which may also be an expression. */
function actionInput(name: string): JsonObject {
  const action = findGongAction(name);
  const schema = action ? toJson(action.input) : {};
  const described = allowExpressions(schema);
  return {
    ...(isObject(described) ? described : {}),
    description: `Input of ${name}: ${action?.summary ?? ''} Values may be \${{ expressions }}.`,
  };
}

/** A trigger: its kind chooses the schema of its settings; `filter` and `input` read `trigger`. */
function triggerSchema(): JsonObject {
  return {
    type: 'object',
    description: 'What starts runs: a kind, its settings, an optional filter and an input mapping.',
    properties: {
      kind: {
        description: 'The trigger kind (docs/triggers.md).',
        ...describedEnum(
          TriggerSchema.options.map((option) => ({
            value: option.shape.kind.value,
            markdown: option.description ?? option.shape.kind.value,
          })),
        ),
      },
    },
    required: ['kind'],
    ...dispatch(
      TRIGGER_KINDS.map((kind) => ({
        when: { properties: { kind: { const: kind } }, required: ['kind'] },
        then: ref(`${kind}Trigger`),
      })),
    ),
  };
}
