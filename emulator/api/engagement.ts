import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GongApiError } from '../core/api-error';
import type { EngagementEventRecord } from '../core/model';
import { defineOperations, type OperationContext } from './operation';
import { parseBody } from './validation';

const Actor = z.looseObject({ email: z.string().nullish(), name: z.string().nullish() });

const ActionEvent = z.looseObject({
  reportingSystem: z.string().min(1),
  eventTimestamp: z.string().min(1),
  eventId: z.string().nullish(),
  contentId: z.string().nullish(),
  contentUrl: z.string().nullish(),
  actionName: z.string().nullish(),
  actor: Actor.nullish(),
});

const ContentEvent = z.looseObject({
  reportingSystem: z.string().min(1),
  eventTimestamp: z.string().min(1),
  eventId: z.string().nullish(),
  contentId: z.string().min(1),
  contentUrl: z.string().min(1),
  contentTitle: z.string().min(1),
  viewer: Actor.nullish(),
  sharer: Actor.nullish(),
  recipients: z.array(Actor).nullish(),
});

/** Records an engagement event; Gong answers 409 when the same event ID was already reported. */
function record(
  ctx: OperationContext,
  event: Omit<EngagementEventRecord, 'eventId'> & { eventId: string | null },
) {
  const eventId = event.eventId ?? ctx.company.ids.numericId(19);
  if (ctx.company.engagementEvents.has(eventId))
    throw new GongApiError(409, `Event ${eventId} was already reported`);
  ctx.company.engagementEvents.set(eventId, { ...event, eventId });
  return { body: {} };
}

export const engagementOperations = defineOperations(
  {
    method: 'PUT',
    path: '/v2/customer-engagement/action',
    scope: 'api:engagement-data:write',
    handle(ctx) {
      const body = parseBody(ActionEvent, ctx.body);
      return record(ctx, {
        eventId: body.eventId ?? null,
        kind: 'customEvent',
        timestamp: body.eventTimestamp,
        email: body.actor?.email ?? null,
        contentId: body.contentId ?? null,
        contentUrl: body.contentUrl ?? null,
        reportingSystem: body.reportingSystem,
        eventName: body.actionName ?? null,
      });
    },
  },
  {
    method: 'PUT',
    path: '/v2/customer-engagement/content/shared',
    scope: 'api:engagement-data:write',
    handle(ctx) {
      const body = parseBody(ContentEvent, ctx.body);
      return record(ctx, {
        eventId: body.eventId ?? null,
        kind: 'contentShared',
        timestamp: body.eventTimestamp,
        email: body.recipients?.[0]?.email ?? body.sharer?.email ?? null,
        contentId: body.contentId,
        contentUrl: body.contentUrl,
        reportingSystem: body.reportingSystem,
        eventName: body.contentTitle,
      });
    },
  },
  {
    method: 'PUT',
    path: '/v2/customer-engagement/content/viewed',
    scope: 'api:engagement-data:write',
    handle(ctx) {
      const body = parseBody(ContentEvent, ctx.body);
      return record(ctx, {
        eventId: body.eventId ?? null,
        kind: 'contentViewed',
        timestamp: body.eventTimestamp,
        email: body.viewer?.email ?? null,
        contentId: body.contentId,
        contentUrl: body.contentUrl,
        reportingSystem: body.reportingSystem,
        eventName: body.contentTitle,
      });
    },
  },
  {
    method: 'POST',
    path: '/v2/digital-interaction',
    scope: 'api:digital-interactions:write',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          eventId: z.string().min(1),
          timestamp: z.string().min(1),
          eventType: z.string().min(1),
          sourceSystemName: z.string().nullish(),
          content: z.looseObject({
            contentTitle: z.string().min(1),
            contentId: z.string().nullish(),
            contentUrl: z.string().nullish(),
          }),
          person: z.looseObject({ email: z.string().nullish(), name: z.string().nullish() }),
        }),
        ctx.body,
      );
      return record(ctx, {
        eventId: body.eventId,
        kind: 'digitalInteraction',
        timestamp: body.timestamp,
        email: body.person.email ?? null,
        contentId: body.content.contentId ?? null,
        contentUrl: body.content.contentUrl ?? null,
        reportingSystem: body.sourceSystemName ?? null,
        eventName: body.eventType,
      });
    },
  },
  {
    method: 'POST',
    path: '/v2/integration-settings',
    scope: 'api:integration-settings:write',
    handle(ctx) {
      const body = parseBody(
        z.looseObject({
          integrationTypeSettings: z
            .array(
              z.looseObject({
                integrationType: z.enum(['EMAIL_COMPOSER', 'ACCOUNT_PAGES', 'DIALER']),
                allowedOrigin: z.string().min(1),
              }),
            )
            .min(1),
        }),
        ctx.body,
      );
      // Real Gong answers the update with nothing but its requestId, and a later GET with only an opaque,
      // base64-looking id (recorded traffic, issue 18).
      const id =
        ctx.company.integrationSettings?.id ??
        createHash('sha256').update(`${ctx.company.id}:integration-settings`).digest('base64');
      ctx.company.integrationSettings = {
        id,
        settings: body.integrationTypeSettings.map(({ integrationType, allowedOrigin }) => ({
          integrationType,
          allowedOrigin,
        })),
      };
      return { body: {} };
    },
  },
  {
    method: 'GET',
    path: '/v2/integration-settings',
    scope: 'api:integration-settings:write',
    handle: (ctx) => ({
      body: {
        integrationSettings: ctx.company.integrationSettings
          ? { id: ctx.company.integrationSettings.id }
          : null,
      },
    }),
  },
);
