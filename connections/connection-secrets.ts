import { GongflowError } from '../core/errors';
import type { ConnectionSecretInfo } from './model';
import type { StaticConnectionRegistry } from './registry';
import type { TemporalConnections } from './temporal-connections';

/**
 * Named secrets of connections, as the CLI and the API manage them: set, rotate, list (names and update
 * times only), remove. Only connections kept in Temporal have their own; those declared in temporal.yaml
 * use the operator-wide secrets (GONGFLOW_SECRET_<NAME>).
 */
export class ConnectionSecrets {
  constructor(
    private readonly durable: TemporalConnections,
    private readonly configured: StaticConnectionRegistry | undefined,
  ) {}

  list(connectionId: string): Promise<ConnectionSecretInfo[]> {
    this.assertOwnSecrets(connectionId);
    return this.durable.listSecrets(connectionId);
  }

  set(connectionId: string, name: string, value: string): Promise<ConnectionSecretInfo[]> {
    this.assertOwnSecrets(connectionId);
    return this.durable.setSecret(connectionId, name, value);
  }

  async remove(connectionId: string, name: string): Promise<ConnectionSecretInfo[]> {
    this.assertOwnSecrets(connectionId);
    const { removed, secrets } = await this.durable.removeSecret(connectionId, name);
    if (!removed) {
      throw new GongflowError(
        'CONNECTION_SECRET_NOT_FOUND',
        `Gong connection "${connectionId}" has no secret "${name}".`,
        { hint: `Its secrets: ${secrets.map((secret) => secret.name).join(', ') || '(none)'}.` },
      );
    }
    return secrets;
  }

  private assertOwnSecrets(connectionId: string): void {
    if (this.configured?.ids().includes(connectionId)) {
      throw new GongflowError(
        'CONNECTION_READ_ONLY',
        `Connection "${connectionId}" is declared in temporal.yaml: it has no secrets of its own.`,
        {
          hint: 'Its runs use the operator-wide secrets (GONGFLOW_SECRET_<NAME> on the workers); add the connection with `gongflow connections add-key` to give it its own.',
        },
      );
    }
  }
}
