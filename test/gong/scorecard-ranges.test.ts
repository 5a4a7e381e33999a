import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileDefinition } from '../../definitions/compile';
import { followRun } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { startTestEngine, type TestEngine } from '../support/engine';

/**
 * Real Gong sends a scorecard question's `minRange`/`maxRange` as JSON strings ("5") although its export says
 * int32 (issue 18). One definition comparing `q.maxRange > 3` must give the same answer against the emulator
 * and against Gong's recorded answer, replayed byte for byte by a local server standing in for a Gong
 * company: gongflow hands expressions the number in both cases.
 */

/** Gong's answer to GET /v2/settings/scorecards, verbatim from recorded traffic (one scorecard of three). */
const RECORDED_SCORECARDS = `{"requestId":"61q0b998t39lr9295s6","scorecards":[{"scorecardId":"2872937706428335733","scorecardName":"Default Scorecard","workspaceId":"7273476131570014205","enabled":false,"updaterUserId":"-1","created":"2023-10-17T21:21:31+02:00","updated":"2023-10-17T21:21:31+02:00","reviewMethod":"MANUAL","questions":[{"questionId":"8151981777020654070","questionRevisionId":"5020803061384192960","questionText":"How would you score the AE's performance in the call?","isOverall":false,"updaterUserId":"-1","questionType":"RANGE","answerGuide":null,"minRange":"1","maxRange":"5","answerOptions":[],"created":"2023-10-17T21:21:31+02:00","updated":"2023-10-17T21:21:31+02:00"},{"questionId":"1293136467356275840","questionRevisionId":"2588061328941090865","questionText":"To what extent were the goals of the call achieved?","isOverall":false,"updaterUserId":"-1","questionType":"RANGE","answerGuide":null,"minRange":"1","maxRange":"5","answerOptions":[],"created":"2023-10-17T21:21:31+02:00","updated":"2023-10-17T21:21:31+02:00"},{"questionId":"3695343427809288026","questionRevisionId":"3890503111089027283","questionText":"How would you rate this call?","isOverall":true,"updaterUserId":"-1","questionType":"RANGE","answerGuide":null,"minRange":"1","maxRange":"5","answerOptions":[],"created":"2023-10-17T21:21:31+02:00","updated":"2023-10-17T21:21:31+02:00"}]}]}`;

const DEFINITION = `
name: scorecard-ranges
version: 1
steps:
  - id: cards
    action: gong.settings.scorecards.list
output:
  wideQuestions: \${{ steps.cards.output.scorecards[0].questions.filter(q, q.maxRange > 3).size() }}
  widest: \${{ steps.cards.output.scorecards[0].questions[0].maxRange - steps.cards.output.scorecards[0].questions[0].minRange }}
  scorecardId: \${{ steps.cards.output.scorecards[0].scorecardId }}
`;

async function startRecordedGong(): Promise<{ baseUrl: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (request.method === 'GET' && request.url === '/v2/settings/scorecards') {
      response
        .writeHead(200, {
          'content-type': 'application/json;charset=UTF-8',
          'x-traceid': '61q0b998t39lr9295s6',
        })
        .end(RECORDED_SCORECARDS);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":["not recorded"]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('scorecard ranges Gong sends as strings', () => {
  let engine: TestEngine;
  let recorded: Awaited<ReturnType<typeof startRecordedGong>>;

  beforeAll(async () => {
    engine = await startTestEngine();
    recorded = await startRecordedGong();
    engine.connections.register({
      id: 'recorded-gong',
      type: 'key',
      baseUrl: recorded.baseUrl,
      accessKey: 'recorded',
      accessKeySecret: 'recorded',
    });
  }, 120_000);

  afterAll(async () => {
    await recorded?.close();
    await engine?.close();
  });

  async function run(connectionId: string) {
    const compiled = compileDefinition(DEFINITION, 'scorecard-ranges.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const handle = await startRun(engine.client, {
      plan: compiled.plan,
      input: {},
      connectionId,
      taskQueue: engine.taskQueue,
      connections: engine.connections,
    });
    return followRun(handle, { pollIntervalMs: 500 });
  }

  it('compare maxRange as a number against the emulator and against a recorded real answer alike', async () => {
    const emulated = await run('emulator');
    const real = await run('recorded-gong');
    expect(recorded.requests).toEqual(['GET /v2/settings/scorecards']);
    expect(emulated).toMatchObject({ status: 'completed', output: { wideQuestions: 3, widest: 4 } });
    expect(real).toEqual({
      status: 'completed',
      output: { wideQuestions: 3, widest: 4, scorecardId: '2872937706428335733' },
    });
    // IDs are not numbers to compute with: they stay the digit strings Gong sent.
    expect(typeof (emulated as { output: { scorecardId: unknown } }).output.scorecardId).toBe('string');
  });
});
