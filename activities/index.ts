import { defaultBlobSettings, offloadIfLarge, type BlobSettings } from './blob-store';
import { createBlobRetentionActivities } from './blob-retention';
import { createBlobActivities } from './evaluate-with-blobs';
import { createGongActivities, type GongActivityDependencies } from './gong-action';
import { createTriggerActivities } from './trigger-poll';
import { createHttpActivities } from './http-request';
import { createOAuthActivities } from './oauth-refresh';
import { whileAlive } from './keep-alive';

export interface ActivityDependencies extends GongActivityDependencies {
  /** Where results above the size threshold are stored (claim check); default: `.gongflow/blobs`. */
  blobs?: BlobSettings;
}

/** Every activity the worker registers. Workflows import the type only. */
export function createActivities(dependencies: ActivityDependencies) {
  const blobs = dependencies.blobs ?? defaultBlobSettings(process.env['GONGFLOW_DATA_DIR'] ?? '.gongflow');
  const gong = createGongActivities(dependencies);
  const { connections } = dependencies;
  const http = createHttpActivities({
    requestTimeoutMs: dependencies.requestTimeoutMs,
    ...(connections.secret
      ? { connectionSecret: (connectionId: string, name: string) => connections.secret!(connectionId, name) }
      : {}),
    ...(dependencies.httpSteps ? { httpSteps: dependencies.httpSteps } : {}),
  });
  const triggers = createTriggerActivities(dependencies);
  return {
    ...gong,
    ...triggers,
    pollTrigger: (args: Parameters<typeof triggers.pollTrigger>[0]) =>
      whileAlive(() => triggers.pollTrigger(args)),
    /** A Gong action; a result above the blob threshold comes back as a reference to the stored result. */
    async runGongAction(args: Parameters<typeof gong.runGongAction>[0]): Promise<unknown> {
      return offloadIfLarge(blobs, await gong.runGongAction(args));
    },
    async httpRequest(args: Parameters<typeof http.httpRequest>[0]): Promise<unknown> {
      return whileAlive(async () => offloadIfLarge(blobs, await http.httpRequest(args)));
    },
    ...createBlobActivities(blobs),
    ...createBlobRetentionActivities(blobs.store),
    // Token refresh for OAuth connections: the resolver carries the secrets key and the default app.
    ...createOAuthActivities({ oauth: dependencies.connections.oauth }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
