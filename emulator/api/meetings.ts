import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import { userByEmail } from '../core/company';
import type { MeetingRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseBody, parseTime } from './validation';

const Invitee = z.looseObject({
  email: z.string().optional(),
  displayName: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
});

const MeetingBody = z.looseObject({
  startTime: z.string(),
  endTime: z.string(),
  title: z.string().nullish(),
  invitees: z.array(Invitee),
  externalId: z.string().nullish(),
  organizerEmail: z.string(),
});

const HELP_URL = 'https://help.gong.io/docs/schedule-meetings-with-the-gong-meeting-scheduler';

/** Meetings are a limited-release API: companies without it get 403 with Gong's user-facing fields. */
function requireMeetings(ctx: OperationContext): void {
  if (!ctx.company.meetingsEnabled)
    throw new GongApiError(403, 'This API is in limited release and is not enabled for your company', {
      extra: { userFacingError: 'Meetings API is not enabled', fixUrl: null, helpUrl: HELP_URL },
    });
}

function validMeeting(ctx: OperationContext, body: z.infer<typeof MeetingBody>): void {
  const start = parseTime(body.startTime, 'startTime');
  const end = parseTime(body.endTime, 'endTime');
  if (start === undefined || end === undefined || end <= start)
    throw new GongApiError(400, 'endTime must be after startTime');
  const organizer = userByEmail(ctx.company, body.organizerEmail);
  if (!organizer) throw new GongApiError(400, `Organizer ${body.organizerEmail} is not a Gong user`);
  if (!organizer.settings.webConferencesRecorded)
    throw new GongApiError(409, 'Provider disconnected', {
      extra: {
        userFacingError: `The calendar of ${body.organizerEmail} is not connected to Gong`,
        fixUrl: `https://${ctx.company.cell}.app.gong.io/settings/personal`,
        helpUrl: HELP_URL,
      },
    });
}

function meetingOrNotFound(ctx: OperationContext): MeetingRecord {
  const meeting = ctx.company.meetings.get(ctx.params['meetingId'] ?? '');
  if (!meeting) throw new GongApiError(404, 'The given meeting ID was not found.');
  return meeting;
}

export const meetingsOperations = defineOperations(
  {
    method: 'POST',
    path: '/v2/meetings',
    scope: 'api:meetings:user:create',
    handle(ctx) {
      requireMeetings(ctx);
      const body = parseBody(MeetingBody, ctx.body);
      validMeeting(ctx, body);
      const meetingId = ctx.company.ids.numericId(19);
      ctx.company.meetings.set(meetingId, {
        meetingId,
        startTime: body.startTime,
        endTime: body.endTime,
        title: body.title ?? null,
        invitees: body.invitees,
        externalId: body.externalId ?? null,
        organizerEmail: body.organizerEmail,
      });
      return {
        body: {
          meetingId,
          meetingUrl: `https://${ctx.company.cell}.app.gong.io/meeting/${meetingId}`,
          additionalInvitees: [{ email: 'coordinator@gong.io', displayName: 'Gong Coordinator' }],
        },
      };
    },
  },
  {
    method: 'PUT',
    path: '/v2/meetings/:meetingId',
    scope: 'api:meetings:user:update',
    handle(ctx) {
      requireMeetings(ctx);
      const meeting = meetingOrNotFound(ctx);
      const body = parseBody(MeetingBody, ctx.body);
      validMeeting(ctx, body);
      Object.assign(meeting, {
        startTime: body.startTime,
        endTime: body.endTime,
        title: body.title ?? null,
        invitees: body.invitees,
        externalId: body.externalId ?? null,
        organizerEmail: body.organizerEmail,
      });
      return { body: { meetingId: meeting.meetingId } };
    },
  },
  {
    method: 'DELETE',
    path: '/v2/meetings/:meetingId',
    scope: 'api:meetings:user:delete',
    handle(ctx) {
      requireMeetings(ctx);
      const meeting = meetingOrNotFound(ctx);
      const body = parseBody(z.looseObject({ organizerEmail: z.string().nullish() }), ctx.body);
      if (body.organizerEmail && body.organizerEmail.toLowerCase() !== meeting.organizerEmail.toLowerCase())
        throw new GongApiError(400, 'organizerEmail is not the organizer of this meeting');
      ctx.company.meetings.delete(meeting.meetingId);
      return { body: {} };
    },
  },
  {
    method: 'POST',
    path: '/v2/meetings/integration/status',
    scope: 'api:meetings:integration:status',
    handle(ctx) {
      requireMeetings(ctx);
      const body = parseBody(z.looseObject({ emails: z.array(z.string()).max(100) }), ctx.body);
      return {
        body: {
          users: body.emails.map((email) => {
            const user = userByEmail(ctx.company, email);
            const valid = !!user?.settings.webConferencesRecorded;
            return {
              email,
              exists: !!user,
              valid,
              userFacingError: user && !valid ? 'Calendar is not connected' : null,
              fixUrl: user && !valid ? `https://${ctx.company.cell}.app.gong.io/settings/personal` : null,
              helpUrl: user && !valid ? HELP_URL : null,
            };
          }),
        },
      };
    },
  },
);
