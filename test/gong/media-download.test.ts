import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileDefinition } from '../../definitions/compile';
import type { Plan } from '../../definitions/plan';
import { FAILURE_TYPES } from '../../core/failure-types';
import { findGongAction } from '../../gong/catalog';
import { followRun, type RunOutcome } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startTestEngine, type TestEngine } from '../support/engine';
import { emulatorClient } from './support';

/**
 * A file a Gong action uploads from a URL (call media) is downloaded by the worker: the URL comes from a
 * definition or a run's input, so it is held to the http steps' destination policy. Without it, a run's input
 * could make the worker read its cloud metadata service or an internal host and hand the bytes to Gong.
 */

const UPLOAD = (() => {
  const compiled = compileDefinition(
    `name: media-upload
version: 1
input:
  callId: { type: string }
  mediaUrl: { type: string }
steps:
  - id: upload
    action: gong.calls.media.upload
    with:
      id: \${{ input.callId }}
      mediaFile: { url: "\${{ input.mediaUrl }}" }
output: \${{ steps.upload.output }}
`,
    'media-upload.yaml',
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.plan;
})();

/** A file host on 127.0.0.1 that counts what it served; `/hop` redirects to `target`. */
async function startFileHost(target?: () => string) {
  const served: string[] = [];
  const server = http.createServer((request, response) => {
    served.push(request.url ?? '');
    if (request.url === '/hop' && target) {
      response.writeHead(302, { location: target() }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.alloc(2048, 7));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    served,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('files Gong actions upload from a URL', () => {
  const engines: TestEngine[] = [];
  afterAll(() => Promise.all(engines.map((engine) => engine.close())));

  async function newCall(engine: TestEngine): Promise<string> {
    const gong = emulatorClient(engine.emulator);
    const users = (await gong.callAction(findGongAction('gong.users.list')!, { maxItems: 1 })) as {
      users: Array<{ id: string }>;
    };
    const userId = users.users[0]!.id;
    const created = (await gong.callAction(findGongAction('gong.calls.create')!, {
      clientUniqueId: randomUUID(),
      actualStart: '2026-03-05T16:00:00Z',
      direction: 'Outbound',
      primaryUser: userId,
      parties: [{ userId }],
    })) as { callId: string };
    return created.callId;
  }

  async function upload(engine: TestEngine, plan: Plan, input: Record<string, unknown>): Promise<RunOutcome> {
    const handle = await startRun(engine.client, {
      plan,
      input,
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
    });
    return followRun(handle, { pollIntervalMs: 250 });
  }

  const mediaUploads = (engine: TestEngine, callId: string) =>
    engine.emulator.admin
      .requestLog({ path: `/v2/calls/${callId}/media` })
      .filter((entry) => entry.method === 'PUT');

  it('refuses a private destination by default: nothing is fetched, nothing is sent to Gong', async () => {
    // The default policy: httpSteps.allow empty, as on a fresh install.
    const engine = await startTestEngine({
      configure: (config) => ({ ...config, httpSteps: { ...config.httpSteps, allow: [] } }),
    });
    engines.push(engine);
    const host = await startFileHost();
    try {
      const callId = await newCall(engine);
      const outcome = await upload(engine, UPLOAD, {
        callId,
        mediaUrl: host.url('/recording.mp3?X-Amz-Signature=s3cr3t'),
      });
      expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.validation });
      const message = (outcome as { message: string }).message;
      expect(message).toContain('loopback');
      expect(message).toContain('httpSteps.allow');
      // A pre-signed URL's query is its credential: errors show the URL without it.
      expect(message).not.toContain('s3cr3t');
      expect(host.served).toEqual([]);
      expect(mediaUploads(engine, callId)).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('follows no redirect from an allowed host to a refused one', async () => {
    // The file host is allowed by name; what it redirects to (the cloud metadata address) is not.
    const engine = await startTestEngine({
      configure: (config) => ({ ...config, httpSteps: { ...config.httpSteps, allow: ['127.0.0.1'] } }),
    });
    engines.push(engine);
    const host = await startFileHost(() => 'http://169.254.169.254/latest/meta-data/iam/');
    try {
      const callId = await newCall(engine);
      const outcome = await upload(engine, UPLOAD, { callId, mediaUrl: host.url('/hop') });
      expect(outcome).toMatchObject({ status: 'failed', failureType: FAILURE_TYPES.validation });
      expect((outcome as { message: string }).message).toContain('169.254.169.254');
      expect(host.served).toEqual(['/hop']);
      expect(mediaUploads(engine, callId)).toEqual([]);

      // The same host, allowed, serving the file: uploaded to Gong.
      const allowed = await upload(engine, UPLOAD, { callId, mediaUrl: host.url('/recording.mp3') });
      expect(allowed).toMatchObject({ status: 'completed' });
      expect(mediaUploads(engine, callId).map((entry) => entry.status < 300)).toEqual([true]);
    } finally {
      await host.close();
    }
  });
});
