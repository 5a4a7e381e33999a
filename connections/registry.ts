import { GongflowError } from '../core/errors';
import type { GongCredentials } from '../gong/client/credentials';
import type { GongflowConfig } from '../config/schema';
import { AnnouncedEmulator } from './local-emulator';
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
  /**
   * The connection's own secret `name` for its runs' http steps, or undefined (then the operator-wide one
   * applies). Optional: only connections kept in Temporal have secrets of their own.
   */
  secret?(connectionId: string, name: string): Promise<string | undefined>;
  /** Present on resolvers managing OAuth connections: what the token-refresh activity needs in a worker. */
  readonly oauth?: OAuthRuntime;
}

/**
 * Connections declared in temporal.yaml plus those registered in process (the dev command registers the
 * emulator's ready-made key this way) and, with a data folder, the emulator another process of the project
 * announced there (connections/local-emulator.ts).
 */
export class StaticConnectionRegistry implements ConnectionResolver {
  private readonly connections = new Map<string, Connection>();
  private announced: AnnouncedEmulator | undefined;

  /** Also knows the emulator a `gongflow dev` or `server --emulator` of this project runs. */
  withAnnouncedEmulator(dataDir: string): this {
    this.announced = new AnnouncedEmulator(dataDir);
    return this;
  }

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
    const announced = this.announced?.current();
    const ids = [...this.connections.keys()];
    return announced && !ids.includes(announced.id) ? [...ids, announced.id] : ids;
  }

  /** A connection's public details (never its secret). */
  describe(connectionId: string): Omit<Connection, 'accessKeySecret'> | undefined {
    const connection = this.find(connectionId);
    if (!connection) return undefined;
    const { accessKeySecret: _secret, ...details } = connection;
    return details;
  }

  private find(connectionId: string): Connection | undefined {
    const registered = this.connections.get(connectionId);
    if (registered) return registered;
    const announced = this.announced?.current();
    return announced?.id === connectionId ? announced : undefined;
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
    const connection = this.find(connectionId);
    if (!connection) {
      throw new GongflowError('CONNECTION_NOT_FOUND', `No Gong connection "${connectionId}".`, {
        hint: `Known connections: ${this.ids().join(', ') || '(none)'}. Declare key-based connections under connections: in temporal.yaml.`,
      });
    }
    return connection;
  }
}
