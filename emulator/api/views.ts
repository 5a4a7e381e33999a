import { isoTime } from '../core/clock';
import type { CompanyState } from '../core/company';
import type { CallRecord, UserRecord } from '../core/model';

/** Gong's JSON for the emulator's records. Absent values are `null`, as in Gong's real answers. */

export function userView(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    emailAddress: user.emailAddress,
    created: isoTime(user.created),
    active: user.active,
    emailAliases: user.emailAliases,
    trustedEmailAddress: null,
    firstName: user.firstName,
    lastName: user.lastName,
    title: user.title,
    phoneNumber: user.phoneNumber,
    extension: user.extension,
    personalMeetingUrls: user.personalMeetingUrls,
    settings: user.settings,
    managerId: user.managerId,
    meetingConsentPageUrl: user.meetingConsentPageUrl,
    spokenLanguages: user.spokenLanguages,
    conferencingProviders: null,
  };
}

export function callUrl(company: CompanyState, callId: string): string {
  return `https://${company.cell}.app.gong.io/call?id=${callId}`;
}

export function callBasicView(company: CompanyState, call: CallRecord): Record<string, unknown> {
  return {
    id: call.id,
    url: callUrl(company, call.id),
    title: call.title,
    scheduled: call.scheduled === null ? null : isoTime(call.scheduled),
    started: isoTime(call.started),
    duration: call.duration,
    primaryUserId: call.primaryUserId,
    direction: call.direction,
    system: call.system,
    scope: call.scope,
    media: call.media,
    language: call.language,
    workspaceId: call.workspaceId,
    sdrDisposition: call.sdrDisposition,
    clientUniqueId: call.clientUniqueId,
    customData: call.customData,
    purpose: call.purpose,
    meetingUrl: call.meetingUrl,
    isPrivate: call.isPrivate,
    calendarEventId: call.calendarEventId,
  };
}
