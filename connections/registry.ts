import { GongflowError } from '../core/errors';
import type { GongCredentials } from '../gong/client/credentials';
import type { GongflowConfig } from '../config/schema';
import type { OAuthRuntime } from './oauth-runtime';

/** A key-based Gong connection: HTTP Basic with the access key and its secret. */
export interface KeyConnection {
  id: string;
  type: 'key';
  baseUrl: string;
  accessKey: string;
  accessKeySecret: string;
  /** Scopes the key is limited to, when the Gong admin chose some; undefined means unscoped. */
  scopes?: string[];
}

export type Connection = KeyConnection;

/** Finds a connection's credentials by id. Activities call this; credentials never travel in history. */
export interface ConnectionResolver {
  credentials(connectionId: string): Promise<GongCredentials>;
  /** Scopes the connection grants, or undefined when they are not limited (unscoped access keys). */
  grantedScopes(connectionId: string): Promise<string[] | undefined>;
  /**
   * Gong refused the authorization `credentials()` handed out as expired (401): resolvers with refreshable
   * tokens refresh once so a retry succeeds. Optional: access keys have nothing to refresh.
   */
  reportExpired?(connectionId: string): Promise<void>;
  /** Present on resolvers managing OAuth connections: what the token-refresh activity needs in a worker. */
  readonly oauth?: OAuthRuntime;
}

/**
 * Connections declared in temporal.yaml plus those registered in process (the dev command registers the
 * emulator's ready-made key this way).
 */
export class StaticConnectionRegistry implements ConnectionResolver {
  private readonly connections = new Map<string, Connection>();

  static fromConfig(config: GongflowConfig): StaticConnectionRegistry {
    const registry = new StaticConnectionRegistry();
    for (const [id, connection] of Object.entries(config.connections)) {
      registry.register({
        id,
        type: 'key',
        baseUrl: connection.baseUrl,
        accessKey: connection.accessKey,
        accessKeySecret: connection.accessKeySecret ?? '',
      });
    }
    return registry;
  }

  register(connection: Connection): void {
    this.connections.set(connection.id, connection);
  }

  ids(): string[] {
    return [...this.connections.keys()];
  }

  credentials(connectionId: string): Promise<GongCredentials> {
    const connection = this.get(connectionId);
    const header = `Basic ${Buffer.from(`${connection.accessKey}:${connection.accessKeySecret}`).toString('base64')}`;
    return Promise.resolve({
      connectionId,
      baseUrl: connection.baseUrl,
      authorization: () => Promise.resolve(header),
    });
  }

  grantedScopes(connectionId: string): Promise<string[] | undefined> {
    return Promise.resolve(this.get(connectionId).scopes);
  }

  private get(connectionId: string): Connection {
    const connection = this.connections.get(connectionId);
    if (!connection) {
      throw new GongflowError('CONNECTION_NOT_FOUND', `No Gong connection "${connectionId}".`, {
        hint: `Known connections: ${this.ids().join(', ') || '(none)'}. Declare key-based connections under connections: in temporal.yaml.`,
      });
    }
    return connection;
  }
}
