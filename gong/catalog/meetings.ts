import { z } from 'zod';
import {
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  GongId,
  Int64IdInput,
  IsoDateTimeInput,
  NullableBoolean,
  NullableString,
  RequestId,
  keyedByInput,
} from './common';
import type { GongActionDefinition } from './types';

const MeetingInviteeInput = z.strictObject({
  email: z.email().describe("The invitee's email address."),
  displayName: z.string().optional().describe("The invitee's display name."),
  firstName: z.string().optional().describe("The invitee's first name."),
  lastName: z.string().optional().describe("The invitee's last name."),
});

const MeetingInvitee = z.looseObject({
  email: NullableString,
  displayName: NullableString,
  firstName: NullableString,
  lastName: NullableString,
});

const meetingFields = {
  startTime: IsoDateTimeInput.describe('Meeting start.'),
  endTime: IsoDateTimeInput.describe('Meeting end.'),
  title: z.string().optional().describe('Event title.'),
  invitees: z.array(MeetingInviteeInput).describe('Invitees, not including the organizer.'),
  externalId: z.string().optional().describe('The meeting ID in the external (calendar) system.'),
  organizerEmail: z
    .email()
    .describe('Email of the Gong user organizing the meeting; their consent-page settings apply.'),
};

const MeetingId = Int64IdInput.describe("Gong's meeting ID (up to 20 digits).");

const betaNotes = 'Beta: Gong answers 403 until it enables Gong Meetings for the company.';

export const createMeeting = {
  name: 'gong.meetings.create',
  summary: 'Create a Gong meeting; returns its join URL and the invitees to add so Gong records it.',
  method: 'POST',
  path: '/v2/meetings',
  inputIn: 'body',
  input: z.strictObject(meetingFields),
  response: z.looseObject({
    requestId: RequestId,
    meetingId: GongId,
    meetingUrl: NullableString,
    additionalInvitees: z.array(MeetingInvitee).nullish(),
  }),
  scopes: ['api:meetings:user:create'],
  semantics: 'unsafe',
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    startTime: '2024-06-03T16:00:00Z',
    endTime: '2024-06-03T16:30:00Z',
    title: 'Winterfell Logistics: pricing review',
    invitees: [{ email: 'arya.stark@winterfell.example', displayName: 'Arya Stark' }],
    organizerEmail: 'jon.snow@acme.com',
  },
  source: 'openapi-2024-11',
  stability: 'beta',
  notes: betaNotes + ' A disconnected conferencing provider answers 409 "Provider disconnected".',
} satisfies GongActionDefinition;

export const updateMeeting = {
  name: 'gong.meetings.update',
  summary: 'Replace the details of a Gong meeting.',
  method: 'PUT',
  path: '/v2/meetings/{meetingId}',
  inputIn: 'body',
  input: z.strictObject({ meetingId: MeetingId, ...meetingFields }),
  response: z.looseObject({ requestId: RequestId, meetingId: GongId.nullish() }),
  scopes: ['api:meetings:user:update'],
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    meetingId: '7782342274025937895',
    startTime: '2024-06-03T17:00:00Z',
    endTime: '2024-06-03T17:30:00Z',
    title: 'Winterfell Logistics: pricing review (moved)',
    invitees: [{ email: 'arya.stark@winterfell.example', displayName: 'Arya Stark' }],
    organizerEmail: 'jon.snow@acme.com',
  },
  source: 'openapi-2024-11',
  stability: 'beta',
  notes: betaNotes,
} satisfies GongActionDefinition;

export const deleteMeeting = {
  name: 'gong.meetings.delete',
  summary: 'Delete a Gong meeting.',
  method: 'DELETE',
  path: '/v2/meetings/{meetingId}',
  inputIn: 'body',
  input: z.strictObject({
    meetingId: MeetingId,
    organizerEmail: z.email().optional().describe('Email of the user who created the meeting.'),
  }),
  response: z.looseObject({ requestId: RequestId, organizerEmail: NullableString }),
  scopes: ['api:meetings:user:delete'],
  semantics: 'keyed',
  // A repeated delete answers 404: the meeting is gone, which is what the first attempt did.
  key: keyedByInput('meetingId', (input) => ({ organizerEmail: input['organizerEmail'] ?? null }), {
    status: 404,
    messages: ['meeting ID was not found'],
  }),
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { meetingId: '7782342274025937895', organizerEmail: 'jon.snow@acme.com' },
  source: 'openapi-2024-11',
  stability: 'beta',
  notes: betaNotes + ' An unknown meeting answers 404 "The given meeting ID was not found."',
} satisfies GongActionDefinition;

export const meetingIntegrationStatus = {
  name: 'gong.meetings.integration.status',
  summary: "Whether users' Gong Meetings integration is connected, with the fix URL when it is not.",
  method: 'POST',
  path: '/v2/meetings/integration/status',
  inputIn: 'body',
  input: z.strictObject({
    emails: z.array(z.email()).min(1).max(100).describe('Emails of the users to check (up to 100).'),
  }),
  response: z.looseObject({
    requestId: RequestId,
    users: z.array(
      z.looseObject({
        email: NullableString,
        exists: NullableBoolean,
        valid: NullableBoolean,
        userFacingError: NullableString,
        fixUrl: NullableString,
        helpUrl: NullableString,
      }),
    ),
  }),
  scopes: ['api:meetings:integration:status'],
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: { emails: ['jon.snow@acme.com', 'sansa.stark@acme.com'] },
  source: 'openapi-2024-11',
  stability: 'beta',
  notes: betaNotes,
} satisfies GongActionDefinition;

export const meetingsActions = [createMeeting, updateMeeting, deleteMeeting, meetingIntegrationStatus];
