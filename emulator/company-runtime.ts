import type { CompanyRuntime, EmulatorContext } from './context';
import { buildApiHost } from './api/host';
import { API_OPERATIONS } from './api/operations';
import { NO_FAULTS } from './core/faults';
import { CompanyRateLimiter } from './core/rate-limiter';
import type { CompanyState } from './core/company';

/** Puts a company on the network: its own API listener on a free port of the emulator's interface. */
/** Serves a company on its own API host; `port` 0 (default) picks a free one. */
export async function bringCompanyOnline(
  context: EmulatorContext,
  state: CompanyState,
  port = 0,
): Promise<CompanyRuntime> {
  const runtime: CompanyRuntime = {
    state,
    limiter: new CompanyRateLimiter(),
    faults: { ...NO_FAULTS },
    server: null,
    webhookRules: new Map(),
  };
  const server = buildApiHost(context, runtime, API_OPERATIONS);
  await server.listen({ host: context.settings.host, port });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('API host has no TCP address');
  const host = context.settings.host.includes(':') ? `[${context.settings.host}]` : context.settings.host;
  state.apiBaseUrl = `http://${host}:${String(address.port)}`;
  runtime.server = server;
  context.companies.set(state.id, runtime);
  return runtime;
}

export async function takeCompanyOffline(context: EmulatorContext, runtime: CompanyRuntime): Promise<void> {
  context.companies.delete(runtime.state.id);
  await runtime.server?.close();
  runtime.server = null;
}
