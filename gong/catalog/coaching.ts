import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  GongId,
  Int64IdInput,
  IsoDateTimeInput,
  NullableString,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const CoachingUser = z.looseObject({
  id: GongId,
  emailAddress: NullableString,
  firstName: NullableString,
  lastName: NullableString,
  title: NullableString,
});

export const listCoachingMetrics = {
  name: 'gong.coaching.list',
  summary: "Coaching metrics of a manager's direct reports over a time range.",
  method: 'GET',
  path: '/v2/coaching',
  inputIn: 'query',
  input: z.strictObject({
    'workspace-id': Int64IdInput.describe('The workspace ID.'),
    'manager-id': Int64IdInput.describe("The manager's Gong user ID."),
    from: IsoDateTimeInput.describe('Start of the time range.'),
    to: IsoDateTimeInput.describe('End of the time range.'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    coachingData: z.array(
      z.looseObject({
        manager: CoachingUser.nullish(),
        directReportsMetrics: z
          .array(
            z.looseObject({
              report: CoachingUser.nullish(),
              metrics: z.record(z.string(), z.unknown()).nullish(),
            }),
          )
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:coaching:read'],
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    'workspace-id': '623457276584334',
    'manager-id': '563515258458745',
    from: '2024-04-01T00:00:00Z',
    to: '2024-05-01T00:00:00Z',
  },
  source: 'openapi-2024-11',
  notes: 'Query parameter names are kebab-case on this endpoint only (`workspace-id`, `manager-id`).',
} satisfies GongActionDefinition;

export const coachingActions = [listCoachingMetrics];
