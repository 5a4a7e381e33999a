import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { compileDefinition } from '../../definitions/compile';
import { loadPlan } from '../../definitions/load';
import { findGongAction } from '../../gong/catalog';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startEventRun } from '../../triggers/start-event-run';
import { startTestEngine, type TestEngine } from '../support/engine';
import { emulatorClient } from './support';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

/**
 * Gong omits optional fields it has no value for: a call without an AI brief has no `brief` key in its
 * content. The catalog types the field optional and the validator accepts `content.brief`; at run time it
 * reads as null (before: the run failed with "No such key: brief"). Driven through the shipped example, as
 * a user runs it, against the emulator playing a Gong that omits the field.
 */
describe('optional fields Gong omits read as null', () => {
  let engine: TestEngine;
  let slack: { url: string; posts: Array<{ text: string }>; close(): Promise<void> };
  const saved = process.env['GONGFLOW_SECRET_SLACK_WEBHOOK_URL'];

  beforeAll(async () => {
    engine = await startTestEngine();
    slack = await startSlackReceiver();
    process.env['GONGFLOW_SECRET_SLACK_WEBHOOK_URL'] = slack.url;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env['GONGFLOW_SECRET_SLACK_WEBHOOK_URL'];
    else process.env['GONGFLOW_SECRET_SLACK_WEBHOOK_URL'] = saved;
    await slack?.close();
    await engine?.close();
  });

  async function summarize(callId: string) {
    const handle = await startRun(engine.client, {
      plan: loadPlan(path.resolve(__dirname, '../../definitions/examples/call-summary-to-slack.yaml')),
      input: { callId },
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
      connections: engine.connections,
    });
    return followRun(handle, { pollIntervalMs: 100 });
  }

  function newCall(brief: string | null | undefined): string {
    const company = engine.emulator.defaultCompany.id;
    const { callId } = engine.emulator.admin.createCall(company, {
      title: brief === null ? 'Quick sync without a brief' : 'Discovery call with a brief',
      durationSeconds: 900,
      ...(brief !== undefined ? { brief } : {}),
    });
    engine.emulator.admin.processCalls(company, [callId]);
    return callId;
  }

  it('call-summary-to-slack completes for a call whose content has no brief', async () => {
    const callId = newCall(null);
    const outcome = await summarize(callId);
    expect(outcome).toEqual({ status: 'completed', output: { callId, posted: true } });
    const post = slack.posts.at(-1)!;
    expect(post.text).toContain('*Quick sync without a brief*\n(no brief)\n');
    // The emulator, like Gong, sent no brief key at all: the null came from normalising the response.
    const raw = (await emulatorClient(engine.emulator).callAction(findGongAction('gong.calls.extensive')!, {
      filter: { callIds: [callId] },
      contentSelector: { exposedFields: { content: { brief: true, keyPoints: true } } },
    })) as { calls: Array<{ content: Record<string, unknown> }> };
    expect(Object.keys(raw.calls[0]!.content)).toEqual(['keyPoints']);
  });

  it('a webhook payload whose call data has no brief starts its run, which reads it as null', async () => {
    const compiled = compileDefinition(
      [
        'name: brief-check',
        'version: 1',
        'input:',
        '  noBrief: { type: boolean }',
        '  isTest: { type: boolean }',
        'triggers:',
        '  - kind: gong.call.processed',
        '    input:',
        '      noBrief: ${{ trigger.callData.content.brief == null }}',
        '      isTest: ${{ trigger.test == true }}',
        'steps:',
        '  - id: read',
        '    set: { noBrief: "${{ input.noBrief }}", isTest: "${{ input.isTest }}" }',
        'output: ${{ steps.read.output }}',
      ].join('\n'),
      'brief-check.yaml',
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const started = await startEventRun(engine.client, {
      plan: compiled.plan,
      trigger: compiled.plan.triggers[0]!,
      connectionId: 'emulator',
      taskQueue: engine.taskQueue,
      // As Gong's webhook sends it: no `brief` in the content, no `test` flag on a real delivery.
      event: {
        kind: 'gong.call.processed',
        eventId: 'call-7782342274025937895',
        connection: 'emulator',
        isTest: false,
        callData: { metaData: { id: '7782342274025937895', duration: 600 }, content: { keyPoints: [] } },
      },
    });
    expect(started).toMatchObject({ status: 'started' });
    const outcome = await followRun(engine.client.workflow.getHandle(started.workflowId), {
      pollIntervalMs: 100,
    });
    expect(outcome).toEqual({ status: 'completed', output: { noBrief: true, isTest: false } });
  });

  it('and still posts the brief when Gong has one', async () => {
    const callId = newCall('Ann walked Acme through pricing.');
    const outcome = await summarize(callId);
    expect(outcome).toEqual({ status: 'completed', output: { callId, posted: true } });
    expect(slack.posts.at(-1)!.text).toContain(
      '*Discovery call with a brief*\nAnn walked Acme through pricing.\n',
    );
  });
});

async function startSlackReceiver() {
  const posts: Array<{ text: string }> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
