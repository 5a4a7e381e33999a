import { compileDefinition } from '../definitions/compile';
import type { RequestLogEntry } from '../emulator';
import { companyKeyOf } from '../gong/budget/reservation';
import { budgetShardWorkflowId, shardOf } from '../gong/budget/shard';
import { readCompanyBudget } from '../gong/budget/temporal-budget';
import { startRun } from '../runs/start';
import { registerEmulatedCompany, startTestEngine, type TestEngine } from './support/engine';

/**
 * Many companies on one worker: their budgets live in shared shard workflows, one update carrying the slots
 * of several companies. Each company must still get its own limit (1 call/s here), whichever companies share
 * its shard, and its day must count exactly its own requests.
 */
const RUNS_PER_COMPANY = 6;
const MIN_COMPANIES = 4;
const DEFINITION = `
name: budget-companies
version: 1
steps:
  - { id: list, action: gong.users.list, with: { maxItems: 1 } }
output: \${{ size(steps.list.output.users) }}
`;

describe('the Gong budget of many companies on one worker', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startTestEngine({
      configure: (config) => ({
        ...config,
        gong: { ...config.gong, budget: { ...config.gong.budget, requestsPerSecond: 1 } },
      }),
    });
  });
  afterAll(() => engine?.close());

  it('keeps each company under its own limit while companies share budget shards', async () => {
    // Companies until two of them share a shard (their hosts differ by port), and at least MIN_COMPANIES.
    const companies: Array<{ connectionId: string; host: string; companyKey: string }> = [];
    const shards = new Set<number>();
    let shared = false;
    while (companies.length < MIN_COMPANIES || !shared) {
      const index = companies.length;
      if (index >= 40) throw new Error('no two emulated companies share a shard');
      const company = await engine.emulator.admin.createCompany({
        name: `Shard Co ${index}`,
        userCount: 2,
        callCount: 0,
        rateLimits: { perSecond: 1 },
      });
      const connectionId = `company-${index}`;
      registerEmulatedCompany(engine.connections, connectionId, company);
      const companyKey = companyKeyOf(company.apiBaseUrl);
      shared ||= shards.has(shardOf(companyKey));
      shards.add(shardOf(companyKey));
      companies.push({ connectionId, host: company.id, companyKey });
    }

    const compiled = compileDefinition(DEFINITION, 'budget-companies.yaml');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    // Every company's runs start together, interleaved, so each reservation has several companies waiting.
    const handles = await Promise.all(
      Array.from({ length: RUNS_PER_COMPANY }).flatMap(() =>
        companies.map(({ connectionId }) =>
          startRun(engine.client, { plan: compiled.plan, connectionId, taskQueue: engine.taskQueue }),
        ),
      ),
    );
    const results = await Promise.all(handles.map((handle) => handle.result()));
    expect(results).toEqual(handles.map(() => 1));

    for (const { host, companyKey } of companies) {
      const log: RequestLogEntry[] = engine.emulator.admin.requestLog({ host, path: '/v2/users' });
      const served = log.filter((entry) => entry.status === 200);
      expect({ host, served: served.length }).toEqual({ host, served: RUNS_PER_COMPANY });
      // Slots are 1.1 s apart at first; the emulator shares this process's event loop, so one stall can bring two
      // arrivals within a second: a 429 (retried after its wait), which widens the spacing to 1.2 s. A second
      // needs a 200 ms stall, seen once in CI on a loaded machine (workflow tasks of 16 s). Calls spaced for a
      // faster limit, or not at all, get far more: each company's 6 runs start together.
      expect(log.length - served.length).toBeLessThanOrEqual(2);
      // Every request the company received took a slot of its own day (a slot woken for too late passes
      // unused and still counts, so the day may count more).
      const budget = await readCompanyBudget(engine.client, companyKey, engine.taskQueue);
      expect(budget?.usedToday).toBeGreaterThanOrEqual(log.length);
    }

    // A shard that stopped (idle for long, or terminated by an operator) is started again by the next call.
    const [first] = companies;
    await engine.client.workflow
      .getHandle(budgetShardWorkflowId(first!.companyKey, engine.taskQueue))
      .terminate('the test stops the shard');
    const again = await startRun(engine.client, {
      plan: compiled.plan,
      connectionId: first!.connectionId,
      taskQueue: engine.taskQueue,
    });
    expect(await again.result()).toBe(1);
    // A fresh budget: it knows only the calls since (a 429 from the stopped one's last second is retried).
    const restarted = await readCompanyBudget(engine.client, first!.companyKey, engine.taskQueue);
    expect(restarted?.usedToday).toBeGreaterThanOrEqual(1);
    expect(restarted?.usedToday).toBeLessThan(RUNS_PER_COMPANY);
  }, 120_000);
});
