import { z } from 'zod';
import { findGongAction } from './index';
import { actionOutputSchema } from './output';

/**
 * Response schemas against Gong-shaped bodies: the quirks seen in real answers (nulls instead of absent
 * fields, fields the spec does not list, int64 JSON numbers that the lossless parser turns into digit
 * strings, the string "null") must parse; bodies missing what the engine relies on must not.
 */
function parseResponse(name: string, body: unknown) {
  const action = findGongAction(name);
  if (!action) throw new Error(`no action ${name}`);
  return action.response.safeParse(body);
}

function expectParses(name: string, body: unknown): void {
  const result = parseResponse(name, body);
  if (!result.success) throw new Error(`${name}: ${z.prettifyError(result.error)}`);
}

const page = (totalRecords: number, cursor?: string) => ({
  totalRecords,
  currentPageSize: Math.min(totalRecords, 100),
  currentPageNumber: 0,
  ...(cursor ? { cursor } : {}),
});

describe('Gong response schemas', () => {
  it('accept a users page with nulls and fields Gong added after the spec', () => {
    expectParses('gong.users.list', {
      requestId: '4al018gzaztcr8nbukw',
      records: page(1),
      users: [
        {
          id: '234599484848423',
          emailAddress: 'jon.snow@acme.com',
          created: '2023-02-17T02:30:00-08:00',
          active: true,
          emailAliases: [],
          trustedEmailAddress: null,
          firstName: 'Jon',
          lastName: 'Snow',
          title: null,
          phoneNumber: null,
          extension: null,
          personalMeetingUrls: [],
          settings: { webConferencesRecorded: true, emailsImported: false },
          managerId: null,
          meetingConsentPageUrl: null,
          spokenLanguages: [{ language: 'en-US', primary: true }],
          conferencingProviders: null,
        },
      ],
    });
  });

  it('accept a calls page with a cursor, and reject a call without an id', () => {
    const call = {
      id: '7782342274025937895',
      url: 'https://app.gong.io/call?id=7782342274025937895',
      title: 'Discovery call',
      scheduled: '2024-05-02T15:00:00Z',
      started: '2024-05-02T15:01:12.041977Z',
      duration: 1834,
      primaryUserId: '234599484848423',
      direction: 'Conference',
      system: 'Zoom',
      scope: 'External',
      media: 'Video',
      language: 'eng',
      workspaceId: '623457276584334',
      sdrDisposition: null,
      clientUniqueId: null,
      customData: null,
      purpose: null,
      meetingUrl: 'https://zoom.us/j/123',
      isPrivate: false,
      calendarEventId: 'abcde@google.com',
    };
    expectParses('gong.calls.list', {
      requestId: 'x1',
      records: page(263, 'eyJhbGciOiJIUzI1NiJ9.e30.sig'),
      calls: [call],
    });
    const { id: _id, ...withoutId } = call;
    expect(
      parseResponse('gong.calls.list', { requestId: 'x1', records: page(1), calls: [withoutId] }).success,
    ).toBe(false);
  });

  it('accept extensive call data with the optional parts Gong returns on request', () => {
    expectParses('gong.calls.extensive', {
      requestId: 'x2',
      records: page(1),
      calls: [
        {
          metaData: { id: '7782342274025937895', title: 'Discovery call', started: '2024-05-02T15:01:12Z' },
          context: [
            {
              system: 'Salesforce',
              objects: [
                { objectType: 'Opportunity', objectId: '0063x00001XyZ12AAB', fields: [], timing: 'Now' },
              ],
            },
          ],
          parties: [
            {
              id: '56825452554556',
              name: 'Arya Stark',
              emailAddress: 'arya.stark@winterfell.example',
              speakerId: '6432345678555530067',
              affiliation: 'External',
              methods: ['Invitee', 'Attendee'],
              userId: null,
            },
          ],
          content: {
            brief: 'Arya wants pricing for 40 seats.',
            keyPoints: [{ text: 'Budget approved for Q3' }],
            callOutcome: { id: 'MEETING_BOOKED', category: 'Answered', name: 'Meeting booked' },
            trackers: [{ id: '1', name: 'Competitors', count: 2, type: 'KEYWORD', occurrences: [] }],
          },
          interaction: { speakers: [{ id: '56825452554556', userId: null, talkTime: 412.5 }] },
          media: { audioUrl: 'https://media.gong.io/a.mp3', videoUrl: null },
        },
      ],
    });
  });

  it('accept transcripts and require sentence timing', () => {
    const transcript = {
      callId: '7782342274025937895',
      transcript: [
        {
          speakerId: '6432345678555530067',
          topic: null,
          sentences: [{ start: 460230, end: 462343, text: 'Shall we look at pricing?' }],
        },
      ],
    };
    expectParses('gong.calls.transcripts', {
      requestId: 'x3',
      records: page(1),
      callTranscripts: [transcript],
    });
    const broken = { ...transcript, transcript: [{ speakerId: '1', sentences: [{ text: 'no timing' }] }] };
    expect(
      parseResponse('gong.calls.transcripts', {
        requestId: 'x3',
        records: page(1),
        callTranscripts: [broken],
      }).success,
    ).toBe(false);
  });

  it('accept int64 IDs both as safe numbers and as the digit strings the lossless parser makes', () => {
    expectParses('gong.settings.scorecards.list', {
      requestId: 'x4',
      scorecards: [
        {
          scorecardId: '6843152929075440037',
          scorecardName: 'SDR Call Scorecard',
          workspaceId: 623457276584334,
          enabled: true,
          updaterUserId: '234599484848423',
          questions: [{ questionId: 1, questionRevisionId: '43955224753211110', answerOptions: null }],
        },
      ],
    });
    expectParses('gong.crm.integrations.list', {
      requestId: 'x5',
      integrations: [
        { integrationId: '2271307570613351879', ownerEmail: 'revops@acme.com', name: 'ACME CRM' },
      ],
    });
    expect(
      parseResponse('gong.crm.integrations.register', { requestId: 'x6', integrationId: 2.5 }).success,
    ).toBe(false);
  });

  it('accept call outcomes with a null automation and flow folders with the string "null"', () => {
    expectParses('gong.call-outcomes.list', {
      requestId: 'x7',
      outcomes: [
        {
          callOutcome: 'Meeting booked',
          displayOrder: 2,
          connectStatus: 'CONNECTED',
          sentiment: 'POSITIVE',
          todoAction: 'COMPLETE_AND_REMOVE',
          automation: null,
          category: 'ANSWERED',
        },
      ],
    });
    expectParses('gong.flows.folders.list', {
      requestId: 'x8',
      records: page(1),
      flowsFolders: [
        {
          id: '100',
          name: 'Shared With You',
          parentFolderId: 'null',
          createdById: 'null',
          visibility: 'Shared',
        },
      ],
    });
  });

  it('accept Engage tasks whose IDs are JSON numbers', () => {
    expectParses('gong.tasks.list', {
      requestId: 'x9',
      tasks: [
        {
          id: 1234361284629351,
          userId: '234599484848423',
          status: 'OPEN',
          type: 'FLOW',
          dueDate: '2024-05-03T16:00:00Z',
          flow: { id: '1695493301223590792', name: 'SDR Flow' },
        },
      ],
    });
  });

  it('derive step outputs without requestId, merging pages under the items key', () => {
    const listCalls = findGongAction('gong.calls.list');
    const getCall = findGongAction('gong.calls.get');
    if (!listCalls || !getCall) throw new Error('catalog is missing call actions');
    const listOutput = actionOutputSchema(listCalls);
    expect(listOutput.safeParse({ calls: [], totalRecords: 0, truncated: false }).success).toBe(true);
    expect(listOutput.safeParse({ calls: [] }).success).toBe(false);
    const getOutput = actionOutputSchema(getCall) as z.ZodObject;
    expect(Object.keys(getOutput.shape)).toEqual(['call']);
  });
});
