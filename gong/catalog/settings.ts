import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  GongId,
  GongNumericId,
  IntegerSentAsText,
  NullableBoolean,
  NullableInt,
  NullableString,
  NullableStringArray,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

export const listWorkspaces = {
  name: 'gong.workspaces.list',
  summary: "The company's workspaces.",
  method: 'GET',
  path: '/v2/workspaces',
  inputIn: 'none',
  input: z.strictObject({}),
  response: z.looseObject({
    requestId: RequestId,
    workspaces: z.array(z.looseObject({ id: GongId, name: NullableString, description: NullableString })),
  }),
  scopes: ['api:workspaces:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {},
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listScorecards = {
  name: 'gong.settings.scorecards.list',
  summary: 'Scorecard definitions with their questions.',
  method: 'GET',
  path: '/v2/settings/scorecards',
  inputIn: 'none',
  input: z.strictObject({}),
  // Real Gong sends every ID and minRange/maxRange of this answer as JSON strings and adds reviewMethod and the
  // questions' updaterUserId, created and updated (recorded traffic, issue 18); the 2024-11 export types the IDs
  // as int64 and the ranges as int32 and lists none of the additions. IDs are taken either way and stay as sent
  // (digit strings); the ranges reach expressions as numbers (IntegerSentAsText).
  response: z.looseObject({
    requestId: RequestId,
    scorecards: z.array(
      z.looseObject({
        scorecardId: GongNumericId,
        scorecardName: NullableString,
        workspaceId: GongNumericId.nullish(),
        enabled: NullableBoolean,
        updaterUserId: GongNumericId.nullish(),
        created: NullableString,
        updated: NullableString,
        reviewMethod: NullableString.describe('How answers are given, e.g. MANUAL (not in the export).'),
        questions: z
          .array(
            z.looseObject({
              questionId: GongNumericId.nullish(),
              questionRevisionId: GongNumericId.nullish(),
              questionText: NullableString,
              isOverall: NullableBoolean,
              updaterUserId: GongNumericId.nullish(),
              questionType: NullableString,
              answerGuide: NullableString,
              minRange: IntegerSentAsText.nullish().describe(
                'Lowest answer of a RANGE question; a number in gongflow, although Gong sends "1".',
              ),
              maxRange: IntegerSentAsText.nullish().describe(
                'Highest answer of a RANGE question; a number in gongflow, although Gong sends "5".',
              ),
              answerOptions: z.array(z.looseObject({ id: NullableInt, text: NullableString })).nullish(),
              created: NullableString,
              updated: NullableString,
            }),
          )
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:settings:scorecards:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {},
  source: 'openapi-2024-11',
  notes:
    'Gong sends the IDs and `minRange`/`maxRange` as JSON strings (its export says numbers): IDs stay digit strings, the ranges arrive as numbers, so `q.maxRange` compares with numbers.',
} satisfies GongActionDefinition;

export const listTrackers = {
  name: 'gong.settings.trackers.list',
  summary: 'Keyword tracker definitions, of every workspace or one.',
  method: 'GET',
  path: '/v2/settings/trackers',
  inputIn: 'query',
  input: z.strictObject({
    workspaceId: GongId.optional().describe('Only trackers of this workspace. Omitted: all workspaces.'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    keywordTrackers: z.array(
      z.looseObject({
        trackerId: GongId,
        trackerName: NullableString,
        workspaceId: GongId.nullish(),
        languageKeywords: z
          .array(
            z.looseObject({
              language: NullableString,
              keywords: NullableStringArray,
              includeRelatedForms: NullableBoolean,
            }),
          )
          .nullish(),
        affiliation: NullableString,
        partOfQuestion: NullableBoolean,
        saidAt: NullableString,
        saidAtInterval: NullableInt,
        saidAtUnit: NullableString,
        saidInTopics: NullableStringArray,
        saidInCallParts: NullableStringArray,
        filterQuery: NullableString,
        created: NullableString,
        creatorUserId: GongId.nullish(),
        updated: NullableString,
        updaterUserId: GongId.nullish(),
      }),
    ),
  }),
  scopes: ['api:settings:trackers:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { workspaceId: '623457276584334' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const settingsActions = [listWorkspaces, listScorecards, listTrackers];
