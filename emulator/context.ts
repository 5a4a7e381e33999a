import type { FastifyInstance } from 'fastify';
import type { EmulatedClock } from './core/clock';
import type { CompanyState, RateLimits } from './core/company';
import type { CredentialStore } from './core/credentials';
import type { FaultConfig } from './core/faults';
import type { Random } from './core/random';
import type { CompanyRateLimiter } from './core/rate-limiter';
import type { RequestLog } from './core/request-log';
import type { WebhookRule, WebhookDelivery } from './webhooks/types';

/** Settings resolved from EmulatorOptions; admin calls may change some of them at run time. */
export interface EmulatorSettings {
  host: string;
  seed: number;
  accessTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
  cursorTtlSeconds: number;
  defaultLimits: RateLimits;
  defaultProcessingDelayMs: number;
  /** How long an async CRM request stays PENDING, then IN_PROGRESS (emulated ms). */
  crmPendingMs: number;
  crmProcessingMs: number;
  webhookJwtTtlSeconds: number;
  userCount: number;
  callCount: number;
}

/** A company plus the machinery around it: its listener, budget, faults and automation rules. */
export interface CompanyRuntime {
  state: CompanyState;
  limiter: CompanyRateLimiter;
  faults: FaultConfig;
  server: FastifyInstance | null;
  webhookRules: Map<string, WebhookRule>;
}

export interface EmulatorContext {
  settings: EmulatorSettings;
  clock: EmulatedClock;
  companies: Map<string, CompanyRuntime>;
  credentials: CredentialStore;
  requestLog: RequestLog;
  webhookDeliveries: WebhookDelivery[];
  /** Deliveries still in flight; close() waits for them so nothing outlives the emulator. */
  pendingDeliveries: Set<Promise<unknown>>;
  cursorSecret: Buffer;
  /** Randomness for fault injection (seeded, so a fault scenario replays). */
  faultRandom: Random;
  /** Runs processing (calls finishing, webhooks) up to the current emulated instant. */
  advanceProcessing(): void;
}

export function companyRuntime(context: EmulatorContext, companyId: string): CompanyRuntime | undefined {
  return context.companies.get(companyId);
}
