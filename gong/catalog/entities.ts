import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  Int64IdInput,
  IsoDateTimeInput,
  NullableNumber,
  NullableString,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const entityFields = {
  workspaceId: Int64IdInput.describe('The workspace whose calls and emails are used.'),
  crmEntityType: z.enum(['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD']).describe('The CRM object type.'),
  crmEntityId: z.string().min(1).describe('The CRM ID of the object.'),
  timePeriod: z
    .enum([
      'LAST_7DAYS',
      'LAST_30DAYS',
      'LAST_90DAYS',
      'LAST_90_DAYS_SINCE_LAST_ACTIVITY',
      'LAST_YEAR_SINCE_LAST_ACTIVITY',
      'LAST_YEAR',
      'THIS_WEEK',
      'THIS_MONTH',
      'THIS_YEAR',
      'THIS_QUARTER',
      'CUSTOM_RANGE',
      'ALL_CONVERSATIONS',
    ])
    .describe('Which calls and emails of the entity to use, by when they happened.'),
  fromDateTime: IsoDateTimeInput.optional().describe('Start of the range (required with CUSTOM_RANGE).'),
  toDateTime: IsoDateTimeInput.optional().describe('End of the range (CUSTOM_RANGE only).'),
};

const requireRangeStart = (input: { timePeriod: string; fromDateTime?: string | undefined }) =>
  input.timePeriod !== 'CUSTOM_RANGE' || input.fromDateTime !== undefined;
const rangeStartMessage = {
  message: 'fromDateTime is required when timePeriod is CUSTOM_RANGE',
  path: ['fromDateTime'],
};

const aiResponseFields = {
  requestId: RequestId,
  numOfCallsSearched: NullableNumber,
  numOfEmailsSearched: NullableNumber,
};

export const getEntityBrief = {
  name: 'gong.entities.brief.get',
  summary: 'Generate an AI brief (configured in Agent Studio) of a CRM account, deal, contact or lead.',
  method: 'GET',
  path: '/v2/entities/get-brief',
  inputIn: 'query',
  input: z
    .strictObject({
      briefName: z.string().min(1).describe('Name of the brief as configured in Agent Studio > AI Briefer.'),
      ...entityFields,
    })
    .refine(requireRangeStart, rangeStartMessage),
  response: z.looseObject({
    ...aiResponseFields,
    briefSections: z.array(z.looseObject({ title: NullableString })).nullish(),
  }),
  scopes: ['api:ai-briefer:read'],
  semantics: 'read',
  timeoutMs: 180_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    briefName: 'Account overview',
    workspaceId: '623457276584334',
    crmEntityType: 'ACCOUNT',
    crmEntityId: '0013601230sV7grAAC',
    timePeriod: 'LAST_90DAYS',
  },
  source: 'observed',
  notes:
    'Consumes Gong AI credits on every call: retries cost credits too. Section fields beyond `title` are unverified.',
} satisfies GongActionDefinition;

export const askEntity = {
  name: 'gong.entities.ask',
  summary:
    "Ask a question about a CRM account, deal, contact or lead, answered by Gong AI from the entity's calls and emails.",
  method: 'GET',
  path: '/v2/entities/ask-entity',
  inputIn: 'query',
  input: z
    .strictObject({
      question: z.string().min(1).describe('The question, in natural language.'),
      ...entityFields,
    })
    .refine(requireRangeStart, rangeStartMessage),
  response: z.looseObject({ ...aiResponseFields, answer: NullableString }),
  scopes: [],
  scopeSource: 'unknown',
  semantics: 'read',
  timeoutMs: 180_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    question: 'What are the open objections on this deal?',
    workspaceId: '623457276584334',
    crmEntityType: 'DEAL',
    crmEntityId: '0063x00001XyZ12AAB',
    timePeriod: 'LAST_30DAYS',
  },
  source: 'observed',
  notes:
    'Uses at most 60 calls and 500 emails and consumes AI credits. POST answers 405. Gong documents no OAuth scope (one integrator declares api:ai-ask:read, unverified).',
} satisfies GongActionDefinition;

export const entitiesActions = [getEntityBrief, askEntity];
