import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGongflow } from './support/cli';

describe('gongflow dev (npm start) on a run that fails', () => {
  it('reports the failed step and the run once, on one line each, with no stack trace', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-dev-failing-'));
    const definition = path.join(dir, 'missing-call.yaml');
    // A Gong 404: the activity fails (not retried) and so does the run, the two lines the SDK would log.
    writeFileSync(
      definition,
      'name: missing-call\nversion: 1\nsteps:\n  - id: call\n    action: gong.calls.get\n    with: { id: "999999" }\n',
    );
    const run = await runGongflow(['dev', definition], {
      cwd: dir,
      env: { GONGFLOW_DATA_DIR: dir, GONGFLOW_TASK_QUEUE: `dev-failing-${path.basename(dir)}` },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ call failed in [\d.]+m?s: Step call \(gong\.calls\.get, connection emulator\)/,
    );
    expect(run.stderr).toContain('Run failed (GongNotFoundError): Step call (gong.calls.get');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.stderr).not.toContain('[WARN]');
  }, 180_000);
});
