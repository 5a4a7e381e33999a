import type { z } from 'zod';
import type { CompanyRuntime, EmulatorContext } from '../context';
import {
  CreateCompanyInput,
  CreateAccessKeyInput,
  CreateOAuthAppInput,
  AuthorizeInput,
  RevokeInput,
  CreateUserInput,
  FaultsInput,
  LimitsInput,
  CreateCallInput,
  CreateWebhookRuleInput,
} from './inputs';
import { bringCompanyOnline } from '../company-runtime';
import { GongApiError } from '../core/api-error';
import { isoTime } from '../core/clock';
import { secretToken, type OAuthAppRecord } from '../core/credentials';
import type { FaultConfig } from '../core/faults';
import type { RequestLogEntry } from '../core/request-log';
import { seedCompany } from '../seed/company';
import { userView } from '../api/views';
import { buildUser } from '../seed/users';
import { buildCall } from '../seed/calls';
import { addCall, isProcessed } from '../core/company';
import { finishProcessing } from '../processing';
import { deliverWebhook } from '../webhooks/deliver';
import { ruleMatches } from '../webhooks/filter';
import { generateRuleKeys } from '../webhooks/jwt';
import type { WebhookDelivery, WebhookRule } from '../webhooks/types';

function publicRule(rule: WebhookRule): Omit<WebhookRule, 'privateKeyPem'> {
  const { privateKeyPem: _privateKeyPem, ...visible } = rule;
  return { ...visible, filter: { ...rule.filter } };
}

export interface EmulatorCompanyCredentials {
  id: string;
  name: string;
  apiBaseUrl: string;
  accessKey: string;
  accessKeySecret: string;
}

/** In-process twin of the admin HTTP API (`/_emulator/*`): the same operations, typed. */
export class EmulatorAdmin {
  constructor(
    private readonly context: EmulatorContext,
    private readonly hooks: { reset(): Promise<void> },
  ) {}

  /** The emulated clock, ISO. */
  now(): string {
    return isoTime(this.context.clock.now());
  }

  /** Moves the emulated clock forward; calls finishing processing in between fire their webhooks. */
  advanceClock(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) throw new GongApiError(400, 'ms must be a non-negative number');
    this.context.clock.advance(ms);
    this.context.advanceProcessing();
    return this.now();
  }

  setClock(iso: string): string {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw new GongApiError(400, `not an ISO date-time: ${iso}`);
    this.context.clock.set(ms);
    this.context.advanceProcessing();
    return this.now();
  }

  companies(): {
    id: string;
    name: string;
    apiBaseUrl: string;
    timeZone: string;
    users: number;
    calls: number;
  }[] {
    return [...this.context.companies.values()].map(({ state }) => ({
      id: state.id,
      name: state.name,
      apiBaseUrl: state.apiBaseUrl,
      timeZone: state.timeZone,
      users: state.users.length,
      calls: state.calls.length,
    }));
  }

  async createCompany(input: z.input<typeof CreateCompanyInput>): Promise<EmulatorCompanyCredentials> {
    const parsed = CreateCompanyInput.parse(input);
    const settings = this.context.settings;
    if ([...this.context.companies.values()].some((runtime) => runtime.state.name === parsed.name))
      throw new GongApiError(409, `A company named ${parsed.name} already exists`);
    const state = seedCompany({
      seed: parsed.seed ?? settings.seed,
      name: parsed.name,
      now: this.context.clock.now(),
      userCount: parsed.userCount ?? 20,
      callCount: parsed.callCount ?? 40,
      limits: { ...settings.defaultLimits, ...parsed.rateLimits },
      processingDelayMs: parsed.processingDelayMs ?? settings.defaultProcessingDelayMs,
    });
    if (this.context.companies.has(state.id))
      throw new GongApiError(409, 'A company with the same seed and name already exists');
    await bringCompanyOnline(this.context, state, parsed.port ?? 0);
    const key = this.createAccessKey(state.id, {});
    return { id: state.id, name: state.name, apiBaseUrl: state.apiBaseUrl, ...key };
  }

  createAccessKey(
    companyId: string,
    input: z.input<typeof CreateAccessKeyInput>,
  ): { accessKey: string; accessKeySecret: string; scopes: string[] | null } {
    this.runtime(companyId);
    const parsed = CreateAccessKeyInput.parse(input);
    const accessKey = parsed.accessKey ?? secretToken(24).replace(/[-_]/g, 'X').slice(0, 32).toUpperCase();
    const accessKeySecret = parsed.accessKeySecret ?? secretToken(48);
    if (this.context.credentials.accessKeys.has(accessKey))
      throw new GongApiError(409, 'access key already exists');
    this.context.credentials.accessKeys.set(accessKey, {
      accessKey,
      accessKeySecret,
      companyId,
      scopes: parsed.scopes ?? null,
      revoked: false,
      created: this.context.clock.now(),
    });
    return { accessKey, accessKeySecret, scopes: parsed.scopes ?? null };
  }

  revokeAccessKey(accessKey: string): void {
    const key = this.context.credentials.accessKeys.get(accessKey);
    if (!key) throw new GongApiError(404, 'unknown access key');
    key.revoked = true;
  }

  createOAuthApp(input: z.input<typeof CreateOAuthAppInput>): OAuthAppRecord {
    const parsed = CreateOAuthAppInput.parse(input);
    const app: OAuthAppRecord = {
      clientId: parsed.clientId ?? secretToken(10).replace(/[-_]/g, 'x'),
      clientSecret: parsed.clientSecret ?? secretToken(32),
      name: parsed.name,
      redirectUris: parsed.redirectUris,
      scopes: parsed.scopes,
      accessTokenTtlSeconds: parsed.accessTokenTtlSeconds ?? null,
    };
    if (this.context.credentials.apps.has(app.clientId))
      throw new GongApiError(409, 'client id already exists');
    this.context.credentials.apps.set(app.clientId, app);
    return { ...app };
  }

  updateOAuthApp(
    clientId: string,
    input: { accessTokenTtlSeconds?: number | null; scopes?: string[] },
  ): OAuthAppRecord {
    const app = this.context.credentials.apps.get(clientId);
    if (!app) throw new GongApiError(404, 'unknown client id');
    if (input.accessTokenTtlSeconds !== undefined) app.accessTokenTtlSeconds = input.accessTokenTtlSeconds;
    if (input.scopes) app.scopes = input.scopes;
    return { ...app };
  }

  /** Headless stand-in for a person approving the consent page: returns a fresh authorization code. */
  authorize(input: z.input<typeof AuthorizeInput>): { code: string } {
    const parsed = AuthorizeInput.parse(input);
    const app = this.context.credentials.apps.get(parsed.clientId);
    if (!app) throw new GongApiError(404, 'unknown client id');
    if (!app.redirectUris.includes(parsed.redirectUri))
      throw new GongApiError(400, 'redirect_uri is not registered');
    this.runtime(parsed.companyId);
    const scopes = parsed.scopes ?? app.scopes;
    const bad = scopes.filter((scope) => !app.scopes.includes(scope));
    if (bad.length) throw new GongApiError(400, `invalid_scope: ${bad.join(' ')}`);
    const code = secretToken(24);
    this.context.credentials.codes.set(code, {
      code,
      clientId: app.clientId,
      companyId: parsed.companyId,
      scopes,
      redirectUri: parsed.redirectUri,
      expiresAt: this.context.clock.now() + this.context.settings.authorizationCodeTtlSeconds * 1000,
      used: false,
    });
    return { code };
  }

  /** Revokes one token, or (clientId + companyId) uninstalls the app from the company. */
  revokeOAuth(input: z.input<typeof RevokeInput>): { revoked: number } {
    const parsed = RevokeInput.parse(input);
    const credentials = this.context.credentials;
    const targets: { revoked: boolean }[] = [];
    const access = parsed.accessToken ? credentials.accessTokens.get(parsed.accessToken) : undefined;
    if (access) targets.push(access);
    const refresh = parsed.refreshToken ? credentials.refreshTokens.get(parsed.refreshToken) : undefined;
    if (refresh) targets.push(refresh);
    if (parsed.clientId && parsed.companyId)
      for (const grant of credentials.grants.values())
        if (grant.clientId === parsed.clientId && grant.companyId === parsed.companyId) targets.push(grant);
    const fresh = targets.filter((target) => !target.revoked);
    for (const target of fresh) target.revoked = true;
    return { revoked: fresh.length };
  }

  createUser(companyId: string, input: z.input<typeof CreateUserInput>): Record<string, unknown> {
    const { state } = this.runtime(companyId);
    const parsed = CreateUserInput.parse(input);
    const email =
      parsed.emailAddress ?? `${parsed.firstName}.${parsed.lastName}@${state.domain}`.toLowerCase();
    if (state.users.some((user) => user.emailAddress === email))
      throw new GongApiError(409, `user ${email} exists`);
    const user = buildUser(
      {
        id: state.ids.numericId(19),
        firstName: parsed.firstName,
        lastName: parsed.lastName,
        emailAddress: email,
        title: parsed.title ?? null,
        managerId: parsed.managerId ?? null,
        created: parsed.created ? Date.parse(parsed.created) : this.context.clock.now(),
        workspaceId: state.workspaces[0]?.id ?? '',
        active: parsed.active ?? true,
      },
      state.ids,
      state.cell,
    );
    state.users.push(user);
    return userView(user);
  }

  /** Adds a call (processed after the company's delay unless told otherwise). */
  createCall(
    companyId: string,
    input: z.input<typeof CreateCallInput>,
  ): { callId: string; started: string; visibleAt: string } {
    const runtime = this.runtime(companyId);
    const { state } = runtime;
    const parsed = CreateCallInput.parse(input);
    const host = parsed.primaryUserId
      ? state.users.find((user) => user.id === parsed.primaryUserId)
      : state.users.find((user) => user.active && !user.isAvatar);
    if (!host) throw new GongApiError(404, `unknown user ${parsed.primaryUserId ?? ''}`);
    const durationSeconds = parsed.durationSeconds ?? 1_800;
    const now = this.context.clock.now();
    const started = parsed.started ? Date.parse(parsed.started) : now - durationSeconds * 1000;
    if (Number.isNaN(started)) throw new GongApiError(400, 'started is not an ISO date-time');
    const delay = parsed.processingDelayMs ?? state.processingDelayMs;
    const call = buildCall(
      {
        id: state.ids.numericId(19),
        title: parsed.title ?? `${parsed.accountName ?? 'Acme Corp'} | Discovery call`,
        started,
        durationSeconds,
        primaryUser: host,
        colleagues: [],
        externals: parsed.externalParticipants?.map((party) => ({
          name: party.name ?? null,
          emailAddress: party.emailAddress ?? null,
          title: party.title ?? null,
          phoneNumber: party.phoneNumber ?? null,
        })) ?? [
          {
            name: 'Jordan Buyer',
            emailAddress: 'jordan.buyer@acme.example',
            title: 'VP of Sales',
            phoneNumber: null,
          },
        ],
        direction: parsed.direction ?? 'Conference',
        system: 'Zoom',
        media: 'Video',
        workspaceId: state.workspaces[0]?.id ?? '',
        processedAt: started + durationSeconds * 1000 + delay,
        scheduled: started,
        isPrivate: parsed.isPrivate ?? false,
        accountName: parsed.accountName ?? 'Acme Corp',
        outcome: null,
      },
      state.ids,
    );
    if (parsed.brief !== undefined) call.brief = parsed.brief;
    addCall(state, call);
    this.context.advanceProcessing();
    return { callId: call.id, started: isoTime(call.started), visibleAt: isoTime(call.processedAt) };
  }

  /** Finishes processing now for the given calls (default: every pending call); webhooks fire. */
  processCalls(companyId: string, callIds?: string[]): { processed: string[] } {
    const runtime = this.runtime(companyId);
    return { processed: finishProcessing(this.context, runtime, callIds).map((call) => call.id) };
  }

  createWebhookRule(
    companyId: string,
    input: z.input<typeof CreateWebhookRuleInput>,
  ): Omit<WebhookRule, 'privateKeyPem'> {
    const runtime = this.runtime(companyId);
    const parsed = CreateWebhookRuleInput.parse(input);
    const keys = parsed.authMethod === 'jwt' ? generateRuleKeys() : null;
    const rule: WebhookRule = {
      id: runtime.state.ids.numericId(19),
      companyId,
      name: parsed.name,
      url: parsed.url,
      authMethod: parsed.authMethod,
      filter: parsed.filter,
      enabled: parsed.enabled,
      privateKeyPem: keys?.privateKeyPem ?? null,
      publicKey: keys?.publicKey ?? null,
      created: this.now(),
    };
    runtime.webhookRules.set(rule.id, rule);
    return publicRule(rule);
  }

  webhookRules(companyId: string): Omit<WebhookRule, 'privateKeyPem'>[] {
    return [...this.runtime(companyId).webhookRules.values()].map(publicRule);
  }

  deleteWebhookRule(ruleId: string): void {
    const { runtime } = this.findRule(ruleId);
    runtime.webhookRules.delete(ruleId);
  }

  /** Gong's "Test now": one delivery with `isTest: true` for a matching (or the given) processed call. */
  async testWebhookRule(ruleId: string, callId?: string): Promise<WebhookDelivery> {
    const { runtime, rule } = this.findRule(ruleId);
    const now = this.context.clock.now();
    const processed = runtime.state.calls.filter((call) => isProcessed(call, now));
    const call = callId
      ? processed.find((candidate) => candidate.id === callId)
      : [...processed].reverse().find((candidate) => ruleMatches(rule.filter, candidate));
    if (!call) throw new GongApiError(404, 'no processed call matches this rule');
    return deliverWebhook(this.context, runtime, rule, call, true);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.context.webhookDeliveries.map((delivery) => ({ ...delivery }));
  }

  private findRule(ruleId: string): { runtime: CompanyRuntime; rule: WebhookRule } {
    for (const runtime of this.context.companies.values()) {
      const rule = runtime.webhookRules.get(ruleId);
      if (rule) return { runtime, rule };
    }
    throw new GongApiError(404, `unknown webhook rule ${ruleId}`);
  }

  setFaults(
    companyId: string,
    input: z.input<typeof FaultsInput>,
  ): FaultConfig & { rateLimitStormUntil: string | null } {
    const runtime = this.runtime(companyId);
    const { rateLimitStormMs, ...faults } = FaultsInput.parse(input);
    Object.assign(runtime.faults, faults);
    if (rateLimitStormMs !== undefined)
      runtime.limiter.stormUntil = this.context.clock.now() + rateLimitStormMs;
    return this.faults(companyId);
  }

  faults(companyId: string): FaultConfig & { rateLimitStormUntil: string | null } {
    const runtime = this.runtime(companyId);
    const storm =
      runtime.limiter.stormUntil > this.context.clock.now() ? isoTime(runtime.limiter.stormUntil) : null;
    return { ...runtime.faults, rateLimitStormUntil: storm };
  }

  setLimits(companyId: string, input: z.input<typeof LimitsInput>): z.infer<typeof LimitsInput> {
    const { state, limiter } = this.runtime(companyId);
    const parsed = LimitsInput.parse(input);
    if (parsed.perSecond !== undefined) state.limits.perSecond = parsed.perSecond;
    if (parsed.perDay !== undefined) state.limits.perDay = parsed.perDay;
    if (parsed.processingDelayMs !== undefined) state.processingDelayMs = parsed.processingDelayMs;
    if (parsed.meetingsEnabled !== undefined) state.meetingsEnabled = parsed.meetingsEnabled;
    limiter.reset();
    return this.limits(companyId);
  }

  limits(
    companyId: string,
  ): Required<z.infer<typeof LimitsInput>> & { usage: { lastSecond: number; today: number } } {
    const { state, limiter } = this.runtime(companyId);
    return {
      perSecond: state.limits.perSecond,
      perDay: state.limits.perDay,
      processingDelayMs: state.processingDelayMs,
      meetingsEnabled: state.meetingsEnabled,
      usage: limiter.usage(),
    };
  }

  requestLog(filter: { host?: string; path?: string; sinceSeq?: number } = {}): RequestLogEntry[] {
    return this.context.requestLog.list(filter);
  }

  clearRequestLog(): void {
    this.context.requestLog.clear();
  }

  /** Emulator bugs seen so far (answered to clients as Gong's 500). */
  internalErrors(): string[] {
    return [...this.context.requestLog.internalErrors];
  }

  /** Back to the seeded state: extra companies, apps, tokens, rules, faults and logs are gone. */
  async reset(): Promise<void> {
    await this.hooks.reset();
  }

  runtime(companyId: string): CompanyRuntime {
    const runtime = this.context.companies.get(companyId);
    if (!runtime) throw new GongApiError(404, `unknown company ${companyId}`);
    return runtime;
  }
}
