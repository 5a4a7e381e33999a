import type { GongCredentials } from '../gong/client/credentials';
import type { OAuthRuntime } from './oauth-runtime';
import type { ConnectionResolver, StaticConnectionRegistry } from './registry';
import type { TemporalConnections } from './temporal-connections';

/**
 * Connections from temporal.yaml (and in-process registrations such as the emulator's dev key) first,
 * then the durable ones in Temporal. What workers, the API and the CLI hand to activities and runs.
 */
export class CompositeConnectionResolver implements ConnectionResolver {
  constructor(
    readonly configured: StaticConnectionRegistry,
    readonly durable: TemporalConnections,
  ) {}

  get oauth(): OAuthRuntime | undefined {
    return this.durable.oauth;
  }

  credentials(connectionId: string): Promise<GongCredentials> {
    return this.pick(connectionId).credentials(connectionId);
  }

  grantedScopes(connectionId: string): Promise<string[] | undefined> {
    return this.pick(connectionId).grantedScopes(connectionId);
  }

  async reportExpired(connectionId: string): Promise<void> {
    await this.pick(connectionId).reportExpired?.(connectionId);
  }

  /** Connections from temporal.yaml have no secrets of their own: their runs use the operator-wide ones. */
  secret(connectionId: string, name: string): Promise<string | undefined> {
    if (this.configured.ids().includes(connectionId)) return Promise.resolve(undefined);
    return this.durable.secret(connectionId, name);
  }

  private pick(connectionId: string): ConnectionResolver {
    return this.configured.ids().includes(connectionId) ? this.configured : this.durable;
  }
}
