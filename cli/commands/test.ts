import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { StaticConnectionRegistry } from '../../connections/registry';
import { formatError, GongflowError } from '../../core/errors';
import { loadPlan } from '../../definitions/load';
import { planRef, type Plan } from '../../definitions/plan';
import { createGongflowClient } from '../../runs/client';
import { followRun, type RunOutcome } from '../../runs/follow';
import { startRun } from '../../runs/start';
import { checkExpectation, pathTaken, type Mismatch } from '../../runs/test-mode/expectations';
import { createFixtureActivities, type CaseFixtures } from '../../runs/test-mode/fixture-activities';
import { loadFixtures, type TestCase } from '../../runs/test-mode/fixtures';
import {
  FIXTURES_CONNECTION_ID,
  fixtureEvent,
  fixtureTrigger,
  prepareFixtureEvent,
} from '../../runs/test-mode/trigger-fixture';
import { deliverWaitFixtures } from '../../runs/test-mode/wait-fixtures';
import type { TriggerEvent } from '../../triggers/event';
import { resolveTemporal } from '../../temporal/connection';
import { progressQuery, type StepProgress } from '../../workflows/progress';
import { createGongflowWorker } from '../../workers/worker';
import type { CliOutput } from '../output';

interface TestOptions {
  fixtures: string;
  json?: boolean;
  caseTimeout: string;
  config?: string;
}

interface CaseResult {
  name: string;
  passed: boolean;
  runId: string;
  durationMs: number;
  /** `filtered`: a trigger fixture's event was turned away by the trigger's filter, so no run started. */
  outcome: RunOutcome | { status: 'filtered' };
  path: string[];
  mismatches: Mismatch[];
}

export function registerTestCommand(program: Command, output: CliOutput): void {
  program
    .command('test')
    .description(
      'Run a definition with mocked step results (a fixtures file) on a real Temporal dev server, without Gong, and ' +
        'check its output and the path it took. Exits 0 when every case passes, 1 when one fails, 2 on bad fixtures.',
    )
    .argument('<definition>', 'definition file')
    .requiredOption('--fixtures <file>', 'fixtures file (YAML or JSON): input, step results, expectations')
    .option('--case-timeout <seconds>', 'fail a case whose run has not ended after this long', '60')
    .option('--json', 'print the results as JSON')
    .option('--config <file>', 'configuration file (default: ./temporal.yaml)')
    .action(async (definition: string, options: TestOptions) => {
      process.exitCode = await runTests(definition, options, output);
    });
}

async function runTests(definition: string, options: TestOptions, output: CliOutput): Promise<number> {
  const loaded = loadConfig(options.config ? { file: options.config } : {});
  let plan: Plan;
  let cases: TestCase[];
  try {
    plan = loadPlan(path.resolve(definition));
    cases = loadFixtures(path.resolve(options.fixtures), plan);
  } catch (error) {
    if (!(error instanceof GongflowError)) throw error;
    output.error(formatError(error));
    return 2;
  }
  const timeoutMs = Number(options.caseTimeout) * 1000;
  if (!(timeoutMs > 0)) {
    throw new GongflowError('CLI_INVALID_OPTION', `--case-timeout must be a positive number of seconds.`);
  }
  const log = options.json ? () => undefined : (message: string): void => output.info(`· ${message}`);

  const endpoint = await resolveTemporal(loaded, { log });
  const running = new Map<string, CaseFixtures>();
  const worker = await createGongflowWorker({
    endpoint,
    config: loaded.config,
    connections: new StaticConnectionRegistry(),
    // A private queue: no other worker picks up these runs, and this one answers from the fixtures only.
    taskQueue: `gongflow-test-${randomUUID()}`,
    blobRetentionSchedule: false, // a throwaway queue: a schedule for it would outlive the command
    // Failures from the fixtures are expected: the report shows them, the worker's warnings would be noise.
    logLevel: 'ERROR',
    dataDir: loaded.dataDir,
    activities: createFixtureActivities((workflowId) => {
      for (const [id, fixtures] of running) {
        if (workflowId === id || workflowId.startsWith(`${id}/`)) return fixtures;
      }
      return undefined;
    }),
  });
  const workerRun = worker.run();
  const temporal = await createGongflowClient({ endpoint, config: loaded.config, dataDir: loaded.dataDir });
  const results: CaseResult[] = [];
  try {
    if (!options.json)
      output.info(`\nTesting ${planRef(plan)} with ${cases.length} case(s) from ${options.fixtures}`);
    for (const testCase of cases) {
      const result = await runCase(temporal.client, plan, testCase, worker.taskQueue, running, timeoutMs);
      results.push(result);
      if (!options.json) output.info(renderCase(result));
    }
  } finally {
    await worker.shutdown();
    await workerRun.catch(() => undefined);
    await temporal.close();
    await endpoint.close();
  }
  const failed = results.filter((result) => !result.passed).length;
  if (options.json) {
    output.json({ definition: planRef(plan), passed: results.length - failed, failed, cases: results });
  } else {
    output.info(`\n${results.length - failed} passed, ${failed} failed`);
  }
  return failed === 0 ? 0 : 1;
}

async function runCase(
  client: Client,
  plan: Plan,
  testCase: TestCase,
  taskQueue: string,
  running: Map<string, CaseFixtures>,
  timeoutMs: number,
): Promise<CaseResult> {
  const slug = testCase.name.replace(/[^A-Za-z0-9_-]+/g, '-');
  const workflowId = `gongflow-test-${plan.name}-${slug}-${randomUUID().slice(0, 8)}`;
  const fixtures: CaseFixtures = { steps: testCase.steps, calls: new Map(), missing: [] };
  running.set(workflowId, fixtures);
  const started = Date.now();
  try {
    // A trigger fixture starts the run as the trigger would: its filter may turn the event away.
    let input: unknown = testCase.input;
    let trigger: { kind: string; event: TriggerEvent } | undefined;
    const triggerPlan = testCase.trigger ? fixtureTrigger(plan, testCase.trigger.kind) : undefined;
    if (testCase.trigger && triggerPlan) {
      const { event, prepared } = prepareFixtureEvent(
        triggerPlan,
        fixtureEvent(testCase.name, triggerPlan, testCase.trigger.payload),
      );
      if (!prepared.accepted) {
        const actual =
          prepared.reason === 'filtered'
            ? 'filtered'
            : `the trigger turns the event away: ${prepared.message}`;
        const expected = testCase.expect.status ?? (testCase.expect.error ? 'failed' : 'completed');
        return {
          name: testCase.name,
          passed: expected === actual,
          runId: '(no run)',
          durationMs: Date.now() - started,
          outcome: { status: 'filtered' },
          path: [],
          mismatches: expected === actual ? [] : [{ at: 'status', expected, actual }],
        };
      }
      input = prepared.input;
      trigger = { kind: triggerPlan.kind, event };
    }
    let handle: Awaited<ReturnType<typeof startRun>>;
    try {
      handle = await startRun(client, {
        plan,
        input,
        connectionId: plan.connection ?? FIXTURES_CONNECTION_ID,
        taskQueue,
        workflowId,
        ...(trigger ? { trigger } : {}),
        // A case tests what happens, not how long it takes: hours of sleep end at once.
        skipTimers: true,
      });
    } catch (error) {
      // The input a trigger's mapping made is checked when the run starts, as for a real event.
      if (!(trigger && error instanceof GongflowError && error.code === 'RUN_INVALID_INPUT')) throw error;
      const message = error.problems.map((problem) => problem.message).join('; ') || error.message;
      return {
        name: testCase.name,
        passed: false,
        runId: '(no run)',
        durationMs: Date.now() - started,
        outcome: { status: 'failed', failureType: 'RUN_INVALID_INPUT', message },
        path: [],
        mismatches: [{ at: 'trigger.input', expected: 'an input the definition accepts', actual: message }],
      };
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<RunOutcome>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'failed',
            failureType: 'TestTimeout',
            message: `no end after ${timeoutMs / 1000}s`,
          }),
        timeoutMs,
      );
    });
    const ending = Promise.race([followRun(handle), timedOut]).finally(() => clearTimeout(timer));
    // Approvals and signals from the fixtures reach the run while it goes on.
    const delivered = deliverWaitFixtures(handle, testCase, ending);
    const outcome = await ending;
    const deliveryMismatches = await delivered;
    if (outcome.status === 'failed' && outcome.failureType === 'TestTimeout')
      await handle.terminate('gongflow test: case timed out').catch(() => undefined);
    const steps: StepProgress[] = (await handle.query(progressQuery).catch(() => undefined))?.steps ?? [];
    const mismatches = [
      ...fixtures.missing.map((message) => ({
        at: 'fixtures',
        expected: 'a fixture for every call',
        actual: message,
      })),
      ...deliveryMismatches,
      ...checkExpectation(testCase.expect, outcome, steps),
    ];
    return {
      name: testCase.name,
      passed: mismatches.length === 0,
      runId: workflowId,
      durationMs: Date.now() - started,
      outcome,
      path: pathTaken(steps),
      mismatches,
    };
  } finally {
    running.delete(workflowId);
  }
}

function renderCase(result: CaseResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)}s`;
  if (result.passed) return `  ✓ ${result.name} (${seconds})`;
  const lines = [`  ✗ ${result.name} (${seconds}, run ${result.runId})`];
  for (const mismatch of result.mismatches) {
    lines.push(`      ${mismatch.at}:`);
    lines.push(`        expected: ${show(mismatch.expected)}`);
    lines.push(`        actual:   ${show(mismatch.actual)}`);
  }
  return lines.join('\n');
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
