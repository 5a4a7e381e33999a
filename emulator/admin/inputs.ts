import { z } from 'zod';

/** Inputs of the admin API (HTTP bodies and in-process calls), parsed at the boundary. */

export const CreateCompanyInput = z.strictObject({
  name: z.string().min(1),
  seed: z.number().int().optional(),
  userCount: z.number().int().min(1).max(5_000).optional(),
  callCount: z.number().int().min(0).max(20_000).optional(),
  rateLimits: z
    .strictObject({
      perSecond: z.number().int().positive().optional(),
      perDay: z.number().int().positive().optional(),
    })
    .optional(),
  processingDelayMs: z.number().int().nonnegative().optional(),
  /** Port of the company's API host; 0 or absent picks a free one. */
  port: z.number().int().min(0).max(65_535).optional(),
});

export const CreateAccessKeyInput = z.strictObject({
  scopes: z.array(z.string()).nullable().optional(),
  accessKey: z.string().min(8).optional(),
  accessKeySecret: z.string().min(8).optional(),
});

export const CreateOAuthAppInput = z.strictObject({
  name: z.string().min(1),
  redirectUris: z.array(z.string().url()).min(1),
  scopes: z.array(z.string()).min(1),
  clientId: z.string().min(4).optional(),
  clientSecret: z.string().min(8).optional(),
  accessTokenTtlSeconds: z.number().int().positive().nullable().optional(),
});

export const AuthorizeInput = z.strictObject({
  clientId: z.string(),
  companyId: z.string(),
  redirectUri: z.string(),
  scopes: z.array(z.string()).optional(),
});

export const RevokeInput = z.strictObject({
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  /** Uninstall: revoke every token the app holds in the company. */
  clientId: z.string().optional(),
  companyId: z.string().optional(),
});

export const CreateUserInput = z.strictObject({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  emailAddress: z.string().email().optional(),
  title: z.string().nullable().optional(),
  managerId: z.string().nullable().optional(),
  active: z.boolean().optional(),
  created: z.string().optional(),
});

export const FaultsInput = z.strictObject({
  errorRate: z.number().min(0).max(1).optional(),
  errorStatus: z.number().int().min(500).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  failNext: z.number().int().min(0).optional(),
  dropNext: z.number().int().min(0).optional(),
  loseAnswerNext: z.number().int().min(0).optional(),
  /** Every request answers 429 for this long (emulated ms), whatever the budget says. */
  rateLimitStormMs: z.number().int().min(0).optional(),
});

export const LimitsInput = z.strictObject({
  perSecond: z.number().int().positive().optional(),
  perDay: z.number().int().positive().optional(),
  processingDelayMs: z.number().int().nonnegative().optional(),
  meetingsEnabled: z.boolean().optional(),
});

export const CreateCallInput = z.strictObject({
  title: z.string().min(1).optional(),
  primaryUserId: z.string().optional(),
  /** ISO start; default: so that the call ends now. */
  started: z.string().optional(),
  durationSeconds: z.number().int().positive().optional(),
  /** Overrides the company's processing delay for this call (ms after the call ends). */
  processingDelayMs: z.number().int().nonnegative().optional(),
  externalParticipants: z
    .array(
      z.strictObject({
        name: z.string().nullable().optional(),
        emailAddress: z.string().nullable().optional(),
        title: z.string().nullable().optional(),
        phoneNumber: z.string().nullable().optional(),
      }),
    )
    .optional(),
  direction: z.enum(['Inbound', 'Outbound', 'Conference', 'Unknown']).optional(),
  isPrivate: z.boolean().optional(),
  accountName: z.string().optional(),
  /** `null`: Gong has no AI brief for the call, and omits the field from its call data. */
  brief: z.string().nullable().optional(),
});

export const CreateWebhookRuleInput = z.strictObject({
  name: z.string().min(1).default('Webhook rule'),
  url: z.string().url(),
  authMethod: z.enum(['url-key', 'jwt']).default('jwt'),
  enabled: z.boolean().default(true),
  filter: z
    .strictObject({
      primaryUserIds: z.array(z.string()).optional(),
      scope: z.enum(['External', 'Internal']).optional(),
      titleContains: z.string().optional(),
      workspaceId: z.string().optional(),
      minDurationSeconds: z.number().int().nonnegative().optional(),
      trackerNames: z.array(z.string()).optional(),
    })
    .default({}),
});
