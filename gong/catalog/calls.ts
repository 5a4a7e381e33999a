import { z } from 'zod';
import {
  NO_RESULTS_404,
  BaseResponse,
  CallUploadContextInput,
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  FileSource,
  GongId,
  IsoDateTimeInput,
  NullableBoolean,
  NullableInt,
  NullableNumber,
  NullableString,
  NullableStringArray,
  PageRecords,
  PaginationControls,
  PartyUploadContextInput,
  RequestId,
  keyedByInput,
} from './common';
import type { GongActionDefinition } from './types';

/**
 * The `fromDateTime`/`toDateTime` of GET /v2/calls covering the whole seconds of the given instants (the
 * end is exclusive): where a call created with them is listed.
 */
function secondsAround(instants: unknown[]): { fromDateTime: string; toDateTime: string } {
  const times = instants
    .filter((instant): instant is string => typeof instant === 'string')
    .map((instant) => Math.floor(Date.parse(instant) / 1000) * 1000)
    .filter((time) => Number.isFinite(time));
  const iso = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');
  return { fromDateTime: iso(Math.min(...times)), toDateTime: iso(Math.max(...times) + 1000) };
}

const CallId = GongId.describe("Gong's call ID (up to 20 digits).");
const UserIds = z.array(GongId).min(1);

/** `CallBasicData`: a call's metadata, as in GET /v2/calls and `metaData` of the extensive call data. */
export const GongCallSchema = z.looseObject({
  id: GongId,
  url: NullableString,
  title: NullableString,
  scheduled: NullableString,
  started: NullableString,
  duration: NullableNumber,
  primaryUserId: GongId.nullish(),
  direction: NullableString,
  system: NullableString,
  scope: NullableString,
  media: NullableString,
  language: NullableString,
  workspaceId: GongId.nullish(),
  sdrDisposition: NullableString,
  clientUniqueId: NullableString,
  customData: NullableString,
  purpose: NullableString,
  meetingUrl: NullableString,
  isPrivate: NullableBoolean,
  calendarEventId: NullableString,
});

const ContextField = z.looseObject({ name: NullableString, value: z.unknown() });

const CallContext = z.looseObject({
  system: NullableString,
  objects: z
    .array(
      z.looseObject({
        objectType: NullableString,
        objectId: NullableString,
        fields: z.array(ContextField).nullish(),
        timing: NullableString,
      }),
    )
    .nullish(),
});

const Party = z.looseObject({
  id: NullableString,
  emailAddress: NullableString,
  name: NullableString,
  title: NullableString,
  userId: GongId.nullish(),
  speakerId: NullableString,
  context: z.array(CallContext).nullish(),
  affiliation: NullableString,
  phoneNumber: NullableString,
  methods: NullableStringArray,
});

const TrackerOccurrence = z.looseObject({ startTime: NullableNumber, speakerId: NullableString });

const CallContent = z.looseObject({
  structure: z.array(z.looseObject({ name: NullableString, duration: NullableNumber })).nullish(),
  trackers: z
    .array(
      z.looseObject({
        id: NullableString,
        name: NullableString,
        count: NullableInt,
        type: NullableString,
        occurrences: z.array(TrackerOccurrence).nullish(),
        phrases: z
          .array(
            z.looseObject({
              count: NullableInt,
              occurrences: z.array(TrackerOccurrence).nullish(),
              phrase: NullableString,
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
  topics: z.array(z.looseObject({ name: NullableString, duration: NullableNumber })).nullish(),
  pointsOfInterest: z
    .looseObject({
      actionItems: z
        .array(
          z.looseObject({
            snippetStartTime: NullableNumber,
            snippetEndTime: NullableNumber,
            speakerID: NullableString,
            snippet: NullableString,
          }),
        )
        .nullish(),
    })
    .nullish(),
  brief: NullableString,
  outline: z
    .array(
      z.looseObject({
        section: NullableString,
        startTime: NullableNumber,
        duration: NullableNumber,
        items: z.array(z.looseObject({ text: NullableString, startTime: NullableNumber })).nullish(),
      }),
    )
    .nullish(),
  highlights: z
    .array(
      z.looseObject({
        title: NullableString,
        items: z
          .array(z.looseObject({ text: NullableString, startTimes: z.array(z.number()).nullish() }))
          .nullish(),
      }),
    )
    .nullish(),
  callOutcome: z
    .looseObject({ id: NullableString, category: NullableString, name: NullableString })
    .nullish(),
  keyPoints: z.array(z.looseObject({ text: NullableString })).nullish(),
});

const CallInteraction = z.looseObject({
  speakers: z
    .array(z.looseObject({ id: NullableString, userId: NullableString, talkTime: NullableNumber }))
    .nullish(),
  interactionStats: z.array(z.looseObject({ name: NullableString, value: NullableNumber })).nullish(),
  video: z.array(z.looseObject({ name: NullableString, duration: NullableNumber })).nullish(),
  questions: z.looseObject({ companyCount: NullableInt, nonCompanyCount: NullableInt }).nullish(),
});

const CallCollaboration = z.looseObject({
  publicComments: z
    .array(
      z.looseObject({
        id: NullableString,
        audioStartTime: NullableNumber,
        audioEndTime: NullableNumber,
        commenterUserId: NullableString,
        comment: NullableString,
        posted: NullableString,
        inReplyTo: NullableString,
        duringCall: NullableBoolean,
      }),
    )
    .nullish(),
});

/** `CallData`: one call of POST /v2/calls/extensive; also the `callData` of Gong's webhook payload. */
export const GongExtensiveCallSchema = z.looseObject({
  metaData: GongCallSchema,
  context: z.array(CallContext).nullish(),
  parties: z.array(Party).nullish(),
  content: CallContent.nullish(),
  interaction: CallInteraction.nullish(),
  collaboration: CallCollaboration.nullish(),
  media: z.looseObject({ audioUrl: NullableString, videoUrl: NullableString }).nullish(),
});

export const GongCallTranscriptSchema = z.looseObject({
  callId: GongId,
  transcript: z.array(
    z.looseObject({
      speakerId: NullableString,
      topic: NullableString,
      sentences: z.array(z.looseObject({ start: z.number(), end: z.number(), text: z.string() })),
    }),
  ),
});

const CallsFilterFields = {
  fromDateTime: IsoDateTimeInput.optional().describe(
    'Calls that started at or after this time (inclusive). Omitted: from the earliest call.',
  ),
  toDateTime: IsoDateTimeInput.optional().describe(
    'Calls that started before this time (exclusive). Omitted: up to the latest call.',
  ),
  workspaceId: GongId.optional().describe('Only calls of this workspace.'),
  callIds: z
    .array(GongId)
    .min(1)
    .optional()
    .describe('Only these calls (an empty list is rejected by Gong).'),
};

export const listCalls = {
  name: 'gong.calls.list',
  summary: 'List calls that took place in a date range (basic metadata), following every page.',
  method: 'GET',
  path: '/v2/calls',
  inputIn: 'query',
  input: z.strictObject({
    // The export marks both dates required, yet describes what happens without them and real Gong answers a GET
    // without either (recorded traffic, issue 18): optional, as Gong behaves.
    fromDateTime: IsoDateTimeInput.optional().describe(
      'Calls that started at or after this time (inclusive). For web conferences recorded by Gong this is the scheduled start. Omitted: from the earliest call.',
    ),
    toDateTime: IsoDateTimeInput.optional().describe(
      'Calls that started before this time (exclusive). Omitted: up to the most recent call.',
    ),
    workspaceId: GongId.optional().describe('Only calls of this workspace.'),
    ...PaginationControls,
  }),
  response: z.looseObject({ requestId: RequestId, records: PageRecords, calls: z.array(GongCallSchema) }),
  scopes: ['api:calls:read:basic'],
  pagination: { itemsKey: 'calls' },
  emptyOn404Messages: NO_RESULTS_404.calls,
  semantics: 'read',
  timeoutMs: 300_000,
  retry: DEFAULT_READ_RETRY,
  example: { fromDateTime: '2024-05-01T00:00:00Z', toDateTime: '2024-05-08T00:00:00Z', maxItems: 500 },
  source: 'openapi-2024-11',
  docsUrl: 'https://help.gong.io/apidocs/retrieve-call-data-by-date-range-v2calls-2',
  notes:
    'Calls appear only once Gong has processed them (hours after they end) while the filter applies to the start time: re-scan an overlapping window.',
} satisfies GongActionDefinition;

export const getCall = {
  name: 'gong.calls.get',
  summary: "Retrieve one call's basic metadata by ID.",
  method: 'GET',
  path: '/v2/calls/{id}',
  inputIn: 'query',
  input: z.strictObject({ id: CallId }),
  response: z.looseObject({ requestId: RequestId, call: GongCallSchema }),
  scopes: ['api:calls:read:basic'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { id: '7782342274025937895' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

const CallParticipantInput = z.strictObject({
  userId: GongId.optional().describe("The participant's Gong user ID, when the participant is a Gong user."),
  emailAddress: z.email().optional().describe("The participant's email address."),
  name: z.string().optional().describe("The participant's name."),
  phoneNumber: z.string().optional().describe("The participant's phone number."),
  partyId: z.string().optional().describe('Identifies the speaker in `speakersTimeline` (required with it).'),
  mediaChannelId: z
    .union([z.literal(0), z.literal(1)])
    .optional()
    .describe('For stereo media: the channel (0 left, 1 right) of the company team member.'),
  context: z.array(PartyUploadContextInput).optional().describe('CRM objects this participant is linked to.'),
  // Not in the export's CallParticipant, yet real Gong answered 200 to parties carrying them (recorded traffic,
  // issue 18): accepted so integrations ported from other clients validate; what Gong does with them is unknown.
  speakerId: z
    .string()
    .optional()
    .describe('Accepted by Gong (not in its export; effect unknown). For speaker timelines use `partyId`.'),
  affiliation: z
    .enum(['Internal', 'External', 'Unknown'])
    .optional()
    .describe('Accepted by Gong (not in its export; effect unknown): the party is of the company or not.'),
});

export const createCall = {
  name: 'gong.calls.create',
  summary:
    'Add a new call (its metadata); Gong downloads the media from `downloadMediaUrl`, or upload it next with gong.calls.media.upload.',
  method: 'POST',
  path: '/v2/calls',
  inputIn: 'body',
  input: z.strictObject({
    clientUniqueId: z
      .string()
      .min(1)
      .max(2048)
      .describe("The call's ID in the recording system; Gong refuses a second call with the same value."),
    actualStart: IsoDateTimeInput.describe('When the call actually started.'),
    direction: z
      .enum(['Inbound', 'Outbound', 'Conference', 'Unknown'])
      .describe('Inbound (someone called the company), Outbound (a rep dialled out) or Conference.'),
    primaryUser: GongId.describe(
      'Gong user ID of the team member who hosted the call; needs a matching party.',
    ),
    parties: z
      .array(CallParticipantInput)
      .min(1)
      .describe(
        'The participants; must include the primary user (integrators report at least one external party).',
      ),
    title: z.string().optional().describe('Call title, indexed for search.'),
    purpose: z.string().max(255).optional().describe('Free-text purpose, up to 255 characters.'),
    scheduledStart: IsoDateTimeInput.optional().describe('When the call was scheduled to start.'),
    scheduledEnd: IsoDateTimeInput.optional().describe('When the call was scheduled to end.'),
    duration: z.number().nonnegative().optional().describe('Actual duration in seconds.'),
    disposition: z.string().max(255).optional().describe('Free-text disposition, up to 255 characters.'),
    context: z.array(CallUploadContextInput).optional().describe('CRM objects the call is linked to.'),
    customData: z.string().optional().describe('Free-text metadata Gong stores for troubleshooting.'),
    speakersTimeline: z
      .strictObject({
        precise: z.boolean().optional().describe('True when segments match the media within 100 ms.'),
        speechSegments: z
          .array(
            z.strictObject({
              fromTime: z.number().int().nonnegative().describe('Segment start, ms from the call start.'),
              toTime: z.number().int().nonnegative().describe('Segment end, ms from the call start.'),
              partyIds: z.array(z.string()).min(1).describe('`partyId`s speaking in the segment.'),
            }),
          )
          .optional()
          .describe('Who spoke when.'),
      })
      .optional()
      .describe('Speech segments; overrides `mediaChannelId`.'),
    meetingUrl: z.string().optional().describe('The conference URL participants joined.'),
    callProviderCode: z
      .string()
      .optional()
      .describe(
        'Gong-defined provider code of the conferencing or telephony system (zoom, ringcentral, ...).',
      ),
    downloadMediaUrl: z
      .url()
      .optional()
      .describe(
        'Unique URL Gong downloads the recording from (audio/*, video/* or octet-stream, up to 1.5 GB). Omit to upload the media afterwards.',
      ),
    workspaceId: GongId.optional().describe(
      'Place the call in this workspace instead of the default placement.',
    ),
    languageCode: z
      .string()
      .optional()
      .describe('Transcription language (e.g. en-US); set only when sure, Gong detects it otherwise.'),
  }),
  response: z.looseObject({ requestId: RequestId, callId: GongId }),
  scopes: ['api:calls:create'],
  semantics: 'keyed',
  key: {
    field: 'clientUniqueId',
    repeated: { status: 409 },
    // Gong has no lookup by clientUniqueId: list the second the call started (and was scheduled, which GET
    // /v2/calls filters web conferences on) and find the key. Gong lists a call once it has processed it.
    existing: {
      from: 'lookup',
      action: 'gong.calls.list',
      input: (input) => secondsAround([input['actualStart'], input['scheduledStart']]),
      pick: (found, input) => {
        const calls =
          (found as { calls?: Array<{ id: string; clientUniqueId?: string | null }> }).calls ?? [];
        const call = calls.find((candidate) => candidate.clientUniqueId === input['clientUniqueId']);
        return call ? { callId: call.id } : undefined;
      },
    },
  },
  timeoutMs: 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    clientUniqueId: 'pbx-2024-05-02-000123',
    actualStart: '2024-05-02T15:00:00Z',
    direction: 'Outbound',
    primaryUser: '234599484848423',
    parties: [
      { userId: '234599484848423', emailAddress: 'jon.snow@acme.com', name: 'Jon Snow', mediaChannelId: 0 },
      { name: 'Arya Stark', phoneNumber: '+1 425 555 2671', mediaChannelId: 1 },
    ],
    title: 'Discovery call with Winterfell Logistics',
    duration: 1834,
    downloadMediaUrl: 'https://recordings.acme.com/2024/05/02/000123.mp3',
  },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const uploadCallMedia = {
  name: 'gong.calls.media.upload',
  summary:
    'Upload the recording of a call created with gong.calls.create (WAV, MP3, MP4, MKV, FLAC; up to 1.5 GB).',
  method: 'PUT',
  path: '/v2/calls/{id}/media',
  inputIn: 'multipart',
  input: z.strictObject({
    id: GongId.describe('The `callId` gong.calls.create returned.'),
    mediaFile: FileSource.describe(
      'The recording. For stereo files, `parties[].mediaChannelId` of the call tells which channel is the rep.',
    ),
  }),
  response: z.looseObject({ requestId: RequestId, callId: GongId, url: NullableString }),
  scopes: ['api:calls:create'],
  semantics: 'keyed',
  // Gong answers 409 "media was already uploaded" to a second upload; its output is the call's, from the input.
  key: keyedByInput('id', (input) => ({ callId: input['id'], url: null })),
  timeoutMs: 30 * 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    id: '7782342274025937895',
    mediaFile: { url: 'https://recordings.acme.com/2024/05/02/000123.mp3' },
  },
  source: 'openapi-2024-02',
  notes:
    'Dropped from the 2024-11 export but still listed in Gong API introduction and served. Gong answers 201 Created.',
} satisfies GongActionDefinition;

export const listCallsExtensive = {
  name: 'gong.calls.extensive',
  summary:
    'Detailed call data (parties, CRM context, content, interaction, comments, media URLs) by date range, call IDs or hosts.',
  method: 'POST',
  path: '/v2/calls/extensive',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject({
        ...CallsFilterFields,
        primaryUserIds: UserIds.optional().describe('Only calls hosted by these users.'),
      })
      .describe('Which calls. `{}` means every call.'),
    contentSelector: z
      .strictObject({
        context: z
          .enum(['None', 'Basic', 'Extended'])
          .optional()
          .describe('Basic: links to CRM objects; Extended: their fields too. Default None.'),
        contextTiming: z
          .array(z.enum(['Now', 'TimeOfCall']))
          .optional()
          .describe(
            'CRM field values as they are now and/or were at call time (only with Extended). Default [Now].',
          ),
        exposedFields: z
          .strictObject({
            parties: z.boolean().optional().describe('Include the participants.'),
            media: z
              .boolean()
              .optional()
              .describe(
                'Include audio/video URLs, valid 8 hours (OAuth: needs api:calls:read:media-url too).',
              ),
            content: z
              .strictObject({
                structure: z.boolean().optional().describe('Call agenda.'),
                topics: z.boolean().optional().describe('Time spent per topic.'),
                trackers: z.boolean().optional().describe('Keyword and smart trackers.'),
                trackerOccurrences: z.boolean().optional().describe('When and by whom each tracker was hit.'),
                pointsOfInterest: z.boolean().optional().describe('Action items.'),
                brief: z.boolean().optional().describe('The call brief.'),
                outline: z.boolean().optional().describe('The call outline.'),
                highlights: z.boolean().optional().describe('The call highlights.'),
                callOutcome: z.boolean().optional().describe('The outcome set by Gong AI.'),
                keyPoints: z.boolean().optional().describe('The key points.'),
              })
              .optional()
              .describe('Content analysis to include.'),
            interaction: z
              .strictObject({
                speakers: z.boolean().optional().describe('Talk time per participant.'),
                video: z.boolean().optional().describe('Video statistics.'),
                personInteractionStats: z.boolean().optional().describe("The host's interaction statistics."),
                questions: z.boolean().optional().describe('Question counts.'),
              })
              .optional()
              .describe('Interaction metrics to include.'),
            collaboration: z
              .strictObject({ publicComments: z.boolean().optional().describe('Public comments.') })
              .optional()
              .describe('Collaboration data to include.'),
          })
          .optional()
          .describe('Which parts of the call data to return.'),
      })
      .optional()
      .describe('What to return for each call; default: metadata only.'),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    calls: z.array(GongExtensiveCallSchema),
  }),
  scopes: ['api:calls:read:extensive'],
  conditionalScopes: [
    { inputPath: ['contentSelector', 'exposedFields', 'media'], scopes: ['api:calls:read:media-url'] },
  ],
  pagination: { itemsKey: 'calls' },
  emptyOn404Messages: NO_RESULTS_404.calls,
  semantics: 'read',
  timeoutMs: 600_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    filter: { fromDateTime: '2024-05-01T00:00:00Z', toDateTime: '2024-05-02T00:00:00Z' },
    contentSelector: {
      context: 'Extended',
      contextTiming: ['TimeOfCall'],
      exposedFields: {
        parties: true,
        content: { brief: true, keyPoints: true, trackers: true, callOutcome: true },
        interaction: { speakers: true },
      },
    },
    maxItems: 200,
  },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listCallTranscripts = {
  name: 'gong.calls.transcripts',
  summary: 'Transcripts of the calls in a date range and/or with the given IDs.',
  method: 'POST',
  path: '/v2/calls/transcript',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject(CallsFilterFields)
      .describe('Which calls. With `callIds`, only those in the date range.'),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    callTranscripts: z.array(GongCallTranscriptSchema),
  }),
  scopes: ['api:calls:read:transcript'],
  pagination: { itemsKey: 'callTranscripts' },
  emptyOn404Messages: NO_RESULTS_404.calls,
  semantics: 'read',
  timeoutMs: 600_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { callIds: ['7782342274025937895', '7782342274025937896'] } },
  source: 'openapi-2024-11',
  notes:
    'Sentence `start`/`end` are milliseconds from the call start; `speakerId` matches the parties of gong.calls.extensive.',
} satisfies GongActionDefinition;

export const listManualCrmAssociations = {
  name: 'gong.calls.manual-crm-associations.list',
  summary: 'Calls users manually associated (or re-associated) with a CRM account or deal, oldest first.',
  method: 'GET',
  path: '/v2/calls/manual-crm-associations',
  inputIn: 'query',
  input: z.strictObject({
    fromDateTime: IsoDateTimeInput.optional().describe(
      'Only associations made after this time. Omitted: all.',
    ),
    ...PaginationControls,
  }),
  response: z.looseObject({
    requestId: RequestId,
    records: PageRecords,
    associations: z.array(
      z.looseObject({
        callId: GongId,
        userId: GongId.nullish(),
        created: NullableString,
        associatedCrmObjects: z
          .array(z.looseObject({ accountCrmId: NullableString, dealCrmId: NullableString }))
          .nullish(),
      }),
    ),
  }),
  scopes: ['api:crm-calls:manual-association:read'],
  pagination: { itemsKey: 'associations' },
  semantics: 'read',
  timeoutMs: 120_000,
  retry: DEFAULT_READ_RETRY,
  example: { fromDateTime: '2024-04-01T00:00:00Z' },
  source: 'openapi-2024-11',
  stability: 'beta',
  notes: 'A call associated and later re-associated appears twice.',
} satisfies GongActionDefinition;

const CallAccessList = z
  .array(
    z.strictObject({
      callId: CallId,
      userIds: UserIds.describe('Gong user IDs.'),
    }),
  )
  .min(1);

export const addCallUsersAccess = {
  name: 'gong.calls.users-access.add',
  summary: 'Give individual users access to calls (no effect for users who already have access).',
  method: 'PUT',
  path: '/v2/calls/users-access',
  inputIn: 'body',
  input: z.strictObject({
    callAccessList: CallAccessList.describe('Each call with the users to give access to.'),
  }),
  response: BaseResponse,
  scopes: ['api:call-user-access:write'],
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    callAccessList: [{ callId: '7782342274025937895', userIds: ['234599484848423', '563515258458745'] }],
  },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listCallUsersAccess = {
  name: 'gong.calls.users-access.list',
  summary: 'Users given individual access to calls through the API (not sharing or permission profiles).',
  method: 'POST',
  path: '/v2/calls/users-access',
  inputIn: 'body',
  input: z.strictObject({
    filter: z
      .strictObject({ callIds: z.array(GongId).min(1).describe('The calls.') })
      .describe('Which calls.'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    callAccessList: z.array(
      z.looseObject({ callId: GongId, users: z.array(z.looseObject({ userId: GongId })).nullish() }),
    ),
  }),
  scopes: ['api:call-user-access:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { filter: { callIds: ['7782342274025937895'] } },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const removeCallUsersAccess = {
  name: 'gong.calls.users-access.remove',
  summary: 'Remove access given by gong.calls.users-access.add (access from sharing or profiles stays).',
  method: 'DELETE',
  path: '/v2/calls/users-access',
  inputIn: 'body',
  input: z.strictObject({
    callAccessList: CallAccessList.describe('Each call with the users to remove.'),
  }),
  response: BaseResponse,
  scopes: ['api:call-user-access:write'],
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { callAccessList: [{ callId: '7782342274025937895', userIds: ['563515258458745'] }] },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const listCallOutcomes = {
  name: 'gong.call-outcomes.list',
  summary: "The company's call outcomes (dispositions reps pick at the end of a dialer call).",
  method: 'GET',
  path: '/v2/call-outcomes',
  inputIn: 'none',
  input: z.strictObject({}),
  response: z.looseObject({
    requestId: RequestId,
    outcomes: z.array(
      z.looseObject({
        callOutcome: z.string(),
        displayOrder: NullableInt,
        connectStatus: NullableString,
        sentiment: NullableString,
        todoAction: NullableString,
        automation: NullableString,
        category: NullableString,
      }),
    ),
  }),
  scopes: ['api:call-outcomes:read'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {},
  source: 'help-center',
  docsUrl: 'https://help.gong.io/apidocs/list-call-outcomes-v2call-outcomes-1',
} satisfies GongActionDefinition;

export const callsActions = [
  listCalls,
  getCall,
  createCall,
  uploadCallMedia,
  listCallsExtensive,
  listCallTranscripts,
  listManualCrmAssociations,
  addCallUsersAccess,
  listCallUsersAccess,
  removeCallUsersAccess,
  listCallOutcomes,
];
