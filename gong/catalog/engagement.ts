import { z } from 'zod';
import {
  CallUploadContextInput,
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  GongId,
  GongNumericId,
  IsoDateTimeInput,
  NullableString,
  PartyUploadContextInput,
  RequestId,
  keyedByInput,
} from './common';
import type { GongActionDefinition } from './types';

const ActorInput = z.strictObject({
  email: z.email().optional().describe("The person's email address."),
  name: z.string().optional().describe("The person's name."),
  title: z.string().optional().describe("The person's job title."),
  context: z.array(PartyUploadContextInput).optional().describe('CRM objects this person is linked to.'),
});

const SharerInput = z.strictObject({
  id: GongId.optional().describe("The sharer's Gong user ID."),
  email: z.email().optional().describe("The sharer's email address."),
  name: z.string().optional().describe("The sharer's name."),
});

const PropertyInput = z.strictObject({
  name: z.string().min(1).describe('Property name.'),
  value: z.string().describe('Property value, formatted as its dataType says (dates ISO-8601).'),
  dataType: z.enum(['number', 'string', 'url', 'date']).describe('Property type.'),
});

/** Fields shared by the three legacy engagement events. */
const engagementEventFields = {
  reportingSystem: z
    .string()
    .min(1)
    .describe('ID of the system reporting the event; the same for every event it sends.'),
  eventTimestamp: IsoDateTimeInput.describe('When the event happened.'),
  eventId: z.string().optional().describe('The event ID in the reporting system (deduplication).'),
  crmContext: z.array(CallUploadContextInput).optional().describe('CRM objects the event relates to.'),
  contentProperties: z.array(PropertyInput).optional().describe('Extra properties of the content.'),
  eventProperties: z.array(PropertyInput).optional().describe('Extra properties of the event.'),
  workspaceId: GongId.optional().describe(
    'Place the event in this workspace instead of the default placement.',
  ),
  nonCompanyParticipants: z.array(ActorInput).optional().describe('External people involved.'),
  moreInfoUrl: z.string().optional().describe('Link to more information.'),
  actionName: z.string().optional().describe('Name of the action, e.g. "Document Viewed".'),
  userAgent: z.string().optional().describe('User-Agent of a browser-based interaction.'),
  mobileAppId: z.string().optional().describe('Mobile app bundle ID or package name.'),
  agentPlatform: z.string().optional().describe('Platform: Windows, Linux, MacOS, iOS or Android.'),
  shareId: z.string().optional().describe('ID of the related share action.'),
  sharer: SharerInput.optional().describe('Who shared the content.'),
  sharingMessageSubject: z.string().optional().describe('Subject of the share message.'),
  sharingMessageBody: z.string().optional().describe('Body of the share message (HTML is cleaned).'),
};

const contentFields = {
  contentId: z.string().min(1).describe('The content ID in the reporting system.'),
  contentUrl: z.url().describe('URL of the content.'),
  contentTitle: z.string().min(1).describe('Human-readable title of the content.'),
};

const EngagementResponse = z.looseObject({ requestId: RequestId, integrationId: GongNumericId.nullish() });

const legacyNotes =
  'Legacy: Gong recommends gong.digital-interactions.create for new integrations. A repeated event answers 409.';

export const reportContentViewed = {
  name: 'gong.engagement.content-viewed.report',
  summary: "Report that an external participant viewed content (shown on Gong's activity timeline).",
  method: 'PUT',
  path: '/v2/customer-engagement/content/viewed',
  inputIn: 'body',
  input: z.strictObject({
    ...engagementEventFields,
    ...contentFields,
    viewActionTitle: z.string().optional().describe('Name of the view action, e.g. "Presentation Opened".'),
    viewInfoUrl: z.string().optional().describe('Link to more information about the view.'),
    viewer: ActorInput.optional().describe('Who viewed the content.'),
  }),
  response: EngagementResponse,
  scopes: ['api:engagement-data:write'],
  semantics: 'keyed',
  key: keyedByInput('eventId', () => ({})),
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    reportingSystem: 'acme-docs',
    eventTimestamp: '2024-05-02T15:42:00Z',
    eventId: 'view-88213',
    contentId: 'doc_123456789',
    contentUrl: 'https://docs.acme.com/d/doc_123456789',
    contentTitle: 'Winterfell Logistics: proposal v2',
    viewActionTitle: 'Proposal viewed',
    viewer: { email: 'arya.stark@winterfell.example', name: 'Arya Stark' },
  },
  source: 'openapi-2024-11',
  stability: 'legacy',
  notes: legacyNotes,
} satisfies GongActionDefinition;

export const reportContentShared = {
  name: 'gong.engagement.content-shared.report',
  summary: 'Report that a Gong user shared content with external participants.',
  method: 'PUT',
  path: '/v2/customer-engagement/content/shared',
  inputIn: 'body',
  input: z.strictObject({
    ...engagementEventFields,
    ...contentFields,
    shareInfoUrl: z.string().optional().describe('Link to more information about the share.'),
    recipients: z.array(ActorInput).optional().describe('Recipients (email required).'),
  }),
  response: EngagementResponse,
  scopes: ['api:engagement-data:write'],
  semantics: 'keyed',
  key: keyedByInput('eventId', () => ({})),
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    reportingSystem: 'acme-docs',
    eventTimestamp: '2024-05-02T14:05:00Z',
    eventId: 'share-4410',
    contentId: 'doc_123456789',
    contentUrl: 'https://docs.acme.com/d/doc_123456789',
    contentTitle: 'Winterfell Logistics: proposal v2',
    sharer: { email: 'jon.snow@acme.com', name: 'Jon Snow' },
    recipients: [{ email: 'arya.stark@winterfell.example', name: 'Arya Stark' }],
  },
  source: 'openapi-2024-11',
  stability: 'legacy',
  notes: legacyNotes,
} satisfies GongActionDefinition;

export const reportCustomAction = {
  name: 'gong.engagement.custom-action.report',
  summary: 'Report a custom engagement action by an external participant (e.g. a contract signed).',
  method: 'PUT',
  path: '/v2/customer-engagement/action',
  inputIn: 'body',
  input: z.strictObject({
    ...engagementEventFields,
    contentId: z.string().optional().describe('The content ID in the reporting system.'),
    contentUrl: z.url().optional().describe('URL of the content.'),
    contentTitle: z.string().optional().describe('Human-readable title of the content.'),
    eventInfoUrl: z.string().optional().describe('Link to more information about the event.'),
    actor: ActorInput.optional().describe('Who performed the action.'),
  }),
  response: EngagementResponse,
  scopes: ['api:engagement-data:write'],
  semantics: 'keyed',
  key: keyedByInput('eventId', () => ({})),
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    reportingSystem: 'acme-esign',
    eventTimestamp: '2024-05-03T09:12:00Z',
    eventId: 'sign-771',
    actionName: 'Contract signed',
    contentTitle: 'Winterfell Logistics: MSA',
    actor: { email: 'arya.stark@winterfell.example', name: 'Arya Stark', title: 'COO' },
  },
  source: 'openapi-2024-11',
  stability: 'legacy',
  notes: legacyNotes,
} satisfies GongActionDefinition;

const CustomFieldInput = z.strictObject({
  name: z.string().min(1).describe('Field name.'),
  value: z.string().describe('Field value.'),
  dataType: z
    .enum(['STRING', 'NUMBER', 'DATE', 'URL', 'BOOLEAN', 'DURATION'])
    .optional()
    .describe('Value type (DATE: ISO-8601, DURATION: seconds). Default STRING.'),
});

const BusinessContextInput = <T extends string>(objectTypes: readonly [T, ...T[]]) =>
  z.strictObject({
    objectType: z.enum(objectTypes).describe('Object type in the external system.'),
    objectId: z.string().min(1).describe('Object ID in the external system.'),
    systemName: z.string().optional().describe('Name of the external system.'),
  });

export const createDigitalInteraction = {
  name: 'gong.digital-interactions.create',
  summary:
    'Record a digital interaction (web visit, link click, content view ...) of a person with your content.',
  method: 'POST',
  path: '/v2/digital-interaction',
  inputIn: 'body',
  input: z.strictObject({
    eventId: z.string().min(1).describe('Your unique event ID, used by Gong for deduplication.'),
    timestamp: IsoDateTimeInput.describe('When the event happened.'),
    eventType: z.string().min(1).describe('What happened, e.g. "page viewed", "link clicked".'),
    sourceSystemName: z.string().optional().describe('The partner or company system sending the event.'),
    sessionId: z.string().optional().describe('Session ID tying related events together.'),
    device: z.enum(['MOBILE', 'PC']).optional().describe('Device used.'),
    content: z
      .strictObject({
        contentTitle: z.string().min(1).describe('Title of the content.'),
        contentId: z.string().optional().describe('Content ID in your system.'),
        contentLabel: z.array(z.string()).optional().describe('Tags of the content.'),
        contentUrl: z.string().optional().describe('URL of the content.'),
        contentAdditionalInfoUrl: z.string().optional().describe('URL with more details (e.g. analysis).'),
        numericContentDetails: z
          .strictObject({
            value: z.number().int().optional().describe('The value.'),
            rangeFrom: z.number().int().describe('Lowest possible value.'),
            rangeTo: z.number().int().describe('Highest possible value.'),
            numericType: z
              .enum(['PERCENTAGE', 'NPS', 'RATING', 'OTHER'])
              .optional()
              .describe('Kind of value.'),
          })
          .optional()
          .describe('A numeric result (NPS score, % of video watched ...).'),
        stepContentDetails: z
          .strictObject({
            value: z.string().describe('The current step.'),
            availableSteps: z.array(z.string()).describe('All steps of the process.'),
          })
          .optional()
          .describe('Progress through a multi-step process.'),
        searchObjectDetails: z
          .strictObject({
            name: z.string().describe('What was searched for.'),
            objectType: z.enum(['VENDOR', 'PRODUCT', 'CATEGORY']).describe('Kind of entity.'),
            domain: z.string().describe('Domain of the entity.'),
            objectId: z.string().optional().describe('Entity ID in your system.'),
            url: z.string().optional().describe('Entity URL in your system.'),
          })
          .optional()
          .describe('An entity searched for (intent data).'),
        contentCustomFields: z.array(CustomFieldInput).optional().describe('Custom data about the content.'),
      })
      .describe('The content the person interacted with.'),
    person: z
      .strictObject({
        name: z.string().optional().describe("The person's name."),
        email: z.email().optional().describe("The person's email (used to associate CRM records)."),
        phoneNumber: z.string().optional().describe("The person's phone number."),
        personId: z.string().optional().describe('Person ID in your system (required for anonymous people).'),
        personBusinessContext: BusinessContextInput(['CONTACT', 'LEAD'])
          .optional()
          .describe('The person in the CRM.'),
        location: z
          .strictObject({
            country: z.string().optional().describe('ISO 3166 country.'),
            state: z.string().optional().describe('ISO 3166-2 state.'),
            region: z.string().optional().describe('ISO 3166-2 region.'),
            city: z.string().optional().describe('City.'),
          })
          .optional()
          .describe("The person's location."),
        company: z
          .strictObject({
            companyId: z.string().optional().describe('Company ID in your system.'),
            name: z.string().optional().describe('Company name.'),
            domain: z.string().optional().describe('Company domain (required for anonymous people).'),
            companyBusinessContexts: z
              .array(BusinessContextInput(['ACCOUNT', 'OPPORTUNITY']))
              .optional()
              .describe('The company in the CRM.'),
          })
          .optional()
          .describe("The person's company."),
        personCustomFields: z.array(CustomFieldInput).optional().describe('Custom data about the person.'),
      })
      .describe('Who interacted.'),
    customFields: z.array(CustomFieldInput).optional().describe('Custom data about the event.'),
  }),
  response: z.looseObject({ requestId: RequestId }),
  scopes: ['api:digital-interactions:write'],
  semantics: 'keyed',
  key: keyedByInput('eventId', () => ({})),
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {
    eventId: 'web-2024-05-02-9f1c',
    timestamp: '2024-05-02T16:20:05Z',
    eventType: 'page viewed',
    sourceSystemName: 'ACME website',
    content: { contentTitle: 'Pricing', contentUrl: 'https://www.acme.com/pricing' },
    person: { email: 'arya.stark@winterfell.example', company: { domain: 'winterfell.example' } },
  },
  source: 'openapi-2024-11',
  notes: 'Gong deduplicates on eventId: a repeated event answers 409.',
} satisfies GongActionDefinition;

export const updateIntegrationSettings = {
  name: 'gong.integration-settings.update',
  summary:
    'Set the origins allowed to embed Gong integrations (email composer, account pages, dialer) in an iframe.',
  method: 'POST',
  path: '/v2/integration-settings',
  inputIn: 'body',
  input: z.strictObject({
    integrationTypeSettings: z
      .array(
        z.strictObject({
          integrationType: z
            .enum(['EMAIL_COMPOSER', 'ACCOUNT_PAGES', 'DIALER'])
            .describe('The Gong integration.'),
          allowedOrigin: z
            .url()
            .describe('An origin allowed as the iframe source, e.g. https://acme.partner.com.'),
        }),
      )
      .min(1)
      .describe('Allowed origins per integration type.'),
  }),
  response: z.looseObject({ requestId: RequestId, integrationId: GongNumericId.nullish() }),
  scopes: ['api:integration-settings:write'],
  semantics: 'idempotent',
  timeoutMs: 30_000,
  retry: DEFAULT_WRITE_RETRY,
  example: {
    integrationTypeSettings: [
      { integrationType: 'EMAIL_COMPOSER', allowedOrigin: 'https://acme.partner.com' },
    ],
  },
  source: 'openapi-2024-11',
  docsUrl: 'https://help.gong.io/apidocs/integration-settings-v2integration-settings-1',
  notes: 'Meaningful for OAuth (Collective) apps.',
} satisfies GongActionDefinition;

export const getIntegrationSettings = {
  name: 'gong.integration-settings.get',
  summary: "The app's integration settings reference.",
  method: 'GET',
  path: '/v2/integration-settings',
  inputIn: 'none',
  input: z.strictObject({}),
  response: z.looseObject({
    requestId: RequestId,
    integrationSettings: z.looseObject({ id: NullableString }).nullish(),
  }),
  scopes: ['api:integration-settings:write'],
  scopeSource: 'integrators',
  semantics: 'read',
  timeoutMs: 30_000,
  retry: DEFAULT_READ_RETRY,
  example: {},
  source: 'observed',
  notes: 'Undocumented: known from a real recorded Gong answer; the scope is the one integrators use.',
} satisfies GongActionDefinition;

export const engagementActions = [
  reportContentViewed,
  reportContentShared,
  reportCustomAction,
  createDigitalInteraction,
  updateIntegrationSettings,
  getIntegrationSettings,
];
