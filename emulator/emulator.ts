import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { EmulatorAdmin, type EmulatorCompanyCredentials } from './admin/admin';
import { buildAppHost } from './app/host';
import { bringCompanyOnline, takeCompanyOffline } from './company-runtime';
import type { EmulatorContext, EmulatorSettings } from './context';
import { createClock, MINUTE, type ClockMode } from './core/clock';
import { CredentialStore } from './core/credentials';
import { createRandom } from './core/random';
import { RequestLog } from './core/request-log';
import { seededAccessKey } from './core/secrets';
import { advanceProcessing } from './processing';
import { seedCompany } from './seed/company';

export interface EmulatorOptions {
  /** Interface every host listens on. Default 127.0.0.1. */
  host?: string;
  /** App host port; 0 (default) picks a free port. */
  port?: number;
  /** The default company's API host port; 0 (default) picks a free port. Other companies: see POST /companies. */
  companyPort?: number;
  /** Seed of all generated data. Default 1. */
  seed?: number;
  /** Name of the seeded default company. Default "Northwind Analytics". */
  companyName?: string;
  /** Users and calls of the default company. Defaults 150 (+2 Gong avatars) and 300. */
  userCount?: number;
  callCount?: number;
  /** Emulated clock: start instant (default: now) and mode (default running; frozen moves only when advanced). */
  startTime?: string | number | Date;
  clock?: ClockMode;
  /** How long after a call ends it becomes visible and fires webhooks. Default 10 minutes. */
  processingDelayMs?: number;
  /** Per-company budget. Default 3 requests/s and 10,000/day, like Gong. */
  rateLimits?: { perSecond?: number; perDay?: number };
  /** OAuth access-token lifetime (`expires_in`). Default 86400. */
  accessTokenTtlSeconds?: number;
  /** Authorization-code lifetime. Default 600. */
  authorizationCodeTtlSeconds?: number;
  /** Pagination-cursor lifetime. Default 3600. */
  cursorTtlSeconds?: number;
  /** Async CRM requests: PENDING for crmPendingMs, then IN_PROGRESS for crmProcessingMs. Defaults 5 s and 30 s. */
  crmPendingMs?: number;
  crmProcessingMs?: number;
  /** `exp` of webhook JWTs, seconds after sending. Default 300. */
  webhookJwtTtlSeconds?: number;
}

export interface GongEmulator {
  appUrl: string;
  defaultCompany: EmulatorCompanyCredentials;
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

function resolveSettings(options: EmulatorOptions): EmulatorSettings {
  return {
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 1,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86_400,
    authorizationCodeTtlSeconds: options.authorizationCodeTtlSeconds ?? 600,
    cursorTtlSeconds: options.cursorTtlSeconds ?? 3_600,
    defaultLimits: {
      perSecond: options.rateLimits?.perSecond ?? 3,
      perDay: options.rateLimits?.perDay ?? 10_000,
    },
    defaultProcessingDelayMs: options.processingDelayMs ?? 10 * MINUTE,
    crmPendingMs: options.crmPendingMs ?? 5_000,
    crmProcessingMs: options.crmProcessingMs ?? 30_000,
    webhookJwtTtlSeconds: options.webhookJwtTtlSeconds ?? 300,
    userCount: options.userCount ?? 150,
    callCount: options.callCount ?? 300,
  };
}

function startMs(value: EmulatorOptions['startTime']): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`startTime is not a date: ${String(value)}`);
  return ms;
}

/** Starts the app host and the default company's API host; resolves once both listen. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<GongEmulator> {
  const settings = resolveSettings(options);
  const companyName = options.companyName ?? 'Northwind Analytics';
  const context: EmulatorContext = {
    settings,
    clock: createClock(options.clock ?? 'running', startMs(options.startTime)),
    companies: new Map(),
    credentials: new CredentialStore(),
    requestLog: new RequestLog(),
    webhookDeliveries: [],
    pendingDeliveries: new Set(),
    cursorSecret: randomBytes(32),
    faultRandom: createRandom(settings.seed).fork('faults'),
    advanceProcessing: () => advanceProcessing(context),
  };
  const defaultKey = seededAccessKey(settings.seed);

  const seedDefaultCompany = async () => {
    const state = seedCompany({
      seed: settings.seed,
      name: companyName,
      now: context.clock.now() - (context.clock.now() % MINUTE),
      userCount: settings.userCount,
      callCount: settings.callCount,
      limits: settings.defaultLimits,
      processingDelayMs: settings.defaultProcessingDelayMs,
    });
    await bringCompanyOnline(context, state, options.companyPort ?? 0);
    admin.createAccessKey(state.id, defaultKey);
    return state;
  };

  const admin: EmulatorAdmin = new EmulatorAdmin(context, {
    reset: async () => {
      for (const runtime of [...context.companies.values()]) await takeCompanyOffline(context, runtime);
      context.credentials.clear();
      context.requestLog.clear();
      context.webhookDeliveries.length = 0;
      const state = await seedDefaultCompany();
      defaultCompany.apiBaseUrl = state.apiBaseUrl;
    },
  });

  const appHost: FastifyInstance = buildAppHost(context, admin);
  // The app host and the default company's host come up together: start-up stays well under a second.
  const [state] = await Promise.all([
    seedDefaultCompany(),
    appHost.listen({ host: settings.host, port: options.port ?? 0 }),
  ]).catch(async (error: unknown) => {
    for (const runtime of [...context.companies.values()]) await takeCompanyOffline(context, runtime);
    await appHost.close();
    throw error;
  });
  const defaultCompany: EmulatorCompanyCredentials = {
    id: state.id,
    name: state.name,
    apiBaseUrl: state.apiBaseUrl,
    ...defaultKey,
  };
  const address = appHost.server.address();
  if (!address || typeof address === 'string') throw new Error('app host has no TCP address');
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  // A running clock lets calls finish processing (and fire webhooks) in real time too.
  const ticker = setInterval(() => context.advanceProcessing(), 1_000);
  ticker.unref();

  return {
    appUrl: `http://${host}:${String(address.port)}`,
    defaultCompany,
    admin,
    async close() {
      clearInterval(ticker);
      await Promise.allSettled([...context.pendingDeliveries]);
      for (const runtime of [...context.companies.values()]) await takeCompanyOffline(context, runtime);
      await appHost.close();
    },
  };
}
