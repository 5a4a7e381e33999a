import { isoTime } from '../core/clock';
import type { CompanyState } from '../core/company';
import type { CallRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { requireQuery } from './validation';

const digits = (phone: string) => phone.replace(/\D/g, '');

function callsWithEmail(company: CompanyState, email: string): CallRecord[] {
  const wanted = email.toLowerCase();
  return company.calls.filter((call) =>
    call.parties.some((party) => party.emailAddress?.toLowerCase() === wanted),
  );
}

function callsWithPhone(company: CompanyState, phone: string): CallRecord[] {
  const wanted = digits(phone);
  return company.calls.filter((call) =>
    call.parties.some((party) => party.phoneNumber && digits(party.phoneNumber) === wanted),
  );
}

function callReference(call: CallRecord) {
  return {
    id: call.id,
    status: 'COMPLETED',
    externalSystems: call.accountCrmId
      ? [
          {
            system: 'Salesforce',
            objects: [{ objectType: 'Task', externalId: `00T${call.id.slice(0, 12)}` }],
          },
        ]
      : [],
  };
}

function references(ctx: OperationContext, calls: CallRecord[], email: string | null) {
  const wanted = email?.toLowerCase() ?? null;
  const emails = wanted
    ? ctx.company.emails.filter((message) => message.from === wanted || message.to.includes(wanted))
    : [];
  const crmContacts = calls.flatMap((call) =>
    call.parties
      .filter((party) => party.crmContactId && (!wanted || party.emailAddress?.toLowerCase() === wanted))
      .map((party) => ({
        id: party.id,
        objectType: 'Contact',
        externalId: party.crmContactId,
        mirrorId: party.id,
        fields: [
          { name: 'Email', value: party.emailAddress },
          { name: 'Name', value: party.name },
        ],
      })),
  );
  const unique = [...new Map(crmContacts.map((contact) => [contact.externalId, contact])).values()];
  return {
    emails: emails.map((message) => ({
      id: message.id,
      from: message.from,
      sentTime: isoTime(message.sentTime),
      mailbox: message.mailbox,
      messageHash: message.messageHash,
    })),
    calls: calls.map(callReference),
    meetings: [...ctx.company.meetings.values()]
      .filter(
        (meeting) => wanted && meeting.invitees.some((invitee) => invitee.email?.toLowerCase() === wanted),
      )
      .map((meeting) => ({ id: meeting.meetingId })),
    customerData: unique.length ? [{ system: 'Salesforce', objects: unique }] : [],
  };
}

/**
 * Erasure is irreversible: the person's calls, emails and engagement events go, as Gong's GDPR
 * deletion does (immediately here; Gong may take hours).
 */
function erase(
  company: CompanyState,
  calls: CallRecord[],
  email: string | null,
  now: number,
  kind: 'email' | 'phone',
  value: string,
) {
  const doomed = new Set(calls.map((call) => call.id));
  company.calls = company.calls.filter((call) => !doomed.has(call.id));
  company.answeredScorecards = company.answeredScorecards.filter((entry) => !doomed.has(entry.callId));
  for (const folder of company.libraryFolders)
    folder.calls = folder.calls.filter((entry) => !doomed.has(entry.callId));
  company.manualAssociations = company.manualAssociations.filter((entry) => !doomed.has(entry.callId));
  if (email) {
    const wanted = email.toLowerCase();
    company.emails = company.emails.filter(
      (message) => message.from !== wanted && !message.to.includes(wanted),
    );
    for (const [id, event] of company.engagementEvents)
      if (event.email?.toLowerCase() === wanted) company.engagementEvents.delete(id);
  }
  company.erasures.push({ kind, value, requestedAt: now });
}

export const dataPrivacyOperations = defineOperations(
  {
    method: 'GET',
    path: '/v2/data-privacy/data-for-email-address',
    scope: 'api:data-privacy:read',
    handle(ctx) {
      const email = requireQuery(ctx.query, 'emailAddress');
      const refs = references(ctx, callsWithEmail(ctx.company, email), email);
      const engagement = [...ctx.company.engagementEvents.values()]
        .filter((event) => event.email?.toLowerCase() === email.toLowerCase())
        .map((event) => ({
          eventType: event.kind,
          timestamp: event.timestamp,
          contentId: event.contentId,
          contentUrl: event.contentUrl,
          reportingSystem: event.reportingSystem,
          eventName: event.eventName,
          sourceEventId: event.eventId,
        }));
      return { body: { ...refs, customerEngagement: engagement } };
    },
  },
  {
    method: 'GET',
    path: '/v2/data-privacy/data-for-phone-number',
    scope: 'api:data-privacy:read',
    handle(ctx) {
      const phone = requireQuery(ctx.query, 'phoneNumber');
      const calls = callsWithPhone(ctx.company, phone);
      const parties = calls.flatMap((call) =>
        call.parties.filter((party) => party.phoneNumber && digits(party.phoneNumber) === digits(phone)),
      );
      return {
        body: {
          ...references(ctx, calls, null),
          suppliedPhoneNumber: phone,
          matchingPhoneNumbers: [...new Set(parties.map((party) => party.phoneNumber))],
          emailAddresses: [
            ...new Set(parties.flatMap((party) => (party.emailAddress ? [party.emailAddress] : []))),
          ],
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v2/data-privacy/erase-data-for-email-address',
    scope: 'api:data-privacy:delete',
    handle(ctx) {
      const email = requireQuery(ctx.query, 'emailAddress');
      erase(ctx.company, callsWithEmail(ctx.company, email), email, ctx.now, 'email', email);
      return { body: {} };
    },
  },
  {
    method: 'POST',
    path: '/v2/data-privacy/erase-data-for-phone-number',
    scope: 'api:data-privacy:delete',
    handle(ctx) {
      const phone = requireQuery(ctx.query, 'phoneNumber');
      erase(ctx.company, callsWithPhone(ctx.company, phone), null, ctx.now, 'phone', phone);
      return { body: {} };
    },
  },
);
