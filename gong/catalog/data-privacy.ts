import { z } from 'zod';
import {
  BaseResponse,
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  GongId,
  NullableString,
  NullableStringArray,
  RequestId,
} from './common';
import type { GongActionDefinition } from './types';

const EmailMessage = z.looseObject({
  id: NullableString,
  from: NullableString,
  sentTime: NullableString,
  mailbox: NullableString,
  messageHash: NullableString,
});

const CallReference = z.looseObject({
  id: GongId,
  status: NullableString,
  externalSystems: z
    .array(
      z.looseObject({
        system: NullableString,
        objects: z.array(z.looseObject({ objectType: NullableString, externalId: NullableString })).nullish(),
      }),
    )
    .nullish(),
});

const CustomerData = z.looseObject({
  system: NullableString,
  objects: z
    .array(
      z.looseObject({
        id: NullableString,
        objectType: NullableString,
        externalId: NullableString,
        mirrorId: NullableString,
        fields: z.array(z.looseObject({ name: NullableString, value: z.unknown() })).nullish(),
      }),
    )
    .nullish(),
});

const references = {
  requestId: RequestId,
  emails: z.array(EmailMessage).nullish(),
  calls: z.array(CallReference).nullish(),
  meetings: z.array(z.looseObject({ id: NullableString })).nullish(),
  customerData: z.array(CustomerData).nullish(),
};

const EmailAddress = z.email().describe('The email address.');
const PhoneNumber = z
  .string()
  .regex(/^\+\d[\d\s-]*$/, 'a phone number starts with + and the country code')
  .describe('The phone number: + then country code, area code and number; other non-digits are ignored.');

const eraseNotes =
  'Irreversible and asynchronous (may take hours); Gong blocks abnormally large deletions. Delete the data from the CRM and email system first or it is imported again.';

export const emailAddressReferences = {
  name: 'gong.data-privacy.email-address.references',
  summary:
    'Everything in Gong that references an email address: calls, emails, meetings, CRM records, engagement.',
  method: 'GET',
  path: '/v2/data-privacy/data-for-email-address',
  inputIn: 'query',
  input: z.strictObject({ emailAddress: EmailAddress }),
  response: z.looseObject({
    ...references,
    customerEngagement: z
      .array(
        z.looseObject({
          eventType: NullableString,
          timestamp: NullableString,
          contentId: NullableString,
          contentUrl: NullableString,
          reportingSystem: NullableString,
          eventName: NullableString,
          sourceEventId: NullableString,
        }),
      )
      .nullish(),
  }),
  scopes: ['api:data-privacy:read'],
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { emailAddress: 'arya.stark@winterfell.example' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const phoneNumberReferences = {
  name: 'gong.data-privacy.phone-number.references',
  summary: 'Leads and contacts with a phone number, and their calls and emails.',
  method: 'GET',
  path: '/v2/data-privacy/data-for-phone-number',
  inputIn: 'query',
  input: z.strictObject({ phoneNumber: PhoneNumber }),
  response: z.looseObject({
    ...references,
    suppliedPhoneNumber: NullableString,
    matchingPhoneNumbers: NullableStringArray,
    emailAddresses: NullableStringArray,
  }),
  scopes: ['api:data-privacy:read'],
  semantics: 'read',
  timeoutMs: 60_000,
  retry: DEFAULT_READ_RETRY,
  example: { phoneNumber: '+1 425 555 2671' },
  source: 'openapi-2024-11',
} satisfies GongActionDefinition;

export const eraseEmailAddress = {
  name: 'gong.data-privacy.email-address.erase',
  summary: 'Delete every call, email, lead and contact that references an email address.',
  method: 'POST',
  path: '/v2/data-privacy/erase-data-for-email-address',
  inputIn: 'query',
  input: z.strictObject({ emailAddress: EmailAddress }),
  response: BaseResponse,
  scopes: ['api:data-privacy:delete'],
  semantics: 'idempotent',
  timeoutMs: 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { emailAddress: 'arya.stark@winterfell.example' },
  source: 'openapi-2024-11',
  notes: eraseNotes + ' The parameter travels in the query string of this POST.',
} satisfies GongActionDefinition;

export const erasePhoneNumber = {
  name: 'gong.data-privacy.phone-number.erase',
  summary: 'Delete the leads and contacts with a phone number, their emails and the calls they appear in.',
  method: 'POST',
  path: '/v2/data-privacy/erase-data-for-phone-number',
  inputIn: 'query',
  input: z.strictObject({ phoneNumber: PhoneNumber }),
  response: BaseResponse,
  scopes: ['api:data-privacy:delete'],
  semantics: 'idempotent',
  timeoutMs: 60_000,
  retry: DEFAULT_WRITE_RETRY,
  example: { phoneNumber: '+14255552671' },
  source: 'openapi-2024-11',
  notes: eraseNotes + ' The parameter travels in the query string of this POST.',
} satisfies GongActionDefinition;

export const dataPrivacyActions = [
  emailAddressReferences,
  phoneNumberReferences,
  eraseEmailAddress,
  erasePhoneNumber,
];
