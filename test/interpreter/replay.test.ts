import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workers/bundle';
import { installWorkerRuntime } from '../../workers/runtime';
import { workerSinks } from '../../workers/sinks';

jest.setTimeout(180_000); // the worker bundles workflows first; shared CI machines are slow

const HISTORIES = path.resolve(__dirname, '../histories');

/**
 * Recorded histories of every construct (GONGFLOW_RECORD_HISTORIES=1 npx jest test/interpreter) replayed
 * against today's interpreter: a change that would break runs in flight fails here (non-determinism), and
 * must be guarded with patched().
 */
// While histories are being recorded (by the other test files of the same jest run) there is nothing to replay yet.
const describeReplay = process.env['GONGFLOW_RECORD_HISTORIES'] === '1' ? describe.skip : describe;

describeReplay('replaying recorded histories', () => {
  const files = readdirSync(HISTORIES)
    .filter((file) => file.endsWith('.json'))
    .sort();

  it('has a history for each construct', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it('replays every recorded history without non-determinism', async () => {
    installWorkerRuntime({ logLevel: 'WARN' });
    const histories = files.map((file) => {
      const recorded = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      return { workflowId: recorded.workflowId, history: historyFromJSON(recorded.history) };
    });
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), sinks: workerSinks() },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error).slice(0, 400)}`);
    }
    expect(failures).toEqual([]);
  });
});
