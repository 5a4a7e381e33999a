import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import path from 'node:path';
import { compileTemplate } from './template';
import type { evaluateInSandbox } from './sandbox-test/workflows';

Runtime.install({ logger: new DefaultLogger('WARN') });

/** CEL must run where plans run: bundled by webpack into Temporal's deterministic workflow sandbox. */
describe('CEL in the Temporal workflow sandbox', () => {
  const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
  const taskQueue = `definitions-sandbox-${process.pid}`;

  it('bundles and evaluates expressions and templates inside a workflow', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'sandbox-test', 'workflows.ts'),
      logger: new DefaultLogger('WARN'),
    });
    const nativeConnection = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle });
      const client = new Client({ connection });
      const context = {
        input: { name: 'Arya', limit: 2 },
        steps: {
          list: {
            output: {
              users: [
                { id: '7782342274025937895', active: true },
                { id: '2', active: false },
              ],
            },
          },
        },
      };
      const result = await worker.runUntil(
        client.workflow.execute<typeof evaluateInSandbox>('evaluateInSandbox', {
          taskQueue,
          workflowId: `definitions-sandbox-${Date.now()}`,
          args: [
            {
              expressions: [
                '"Hello " + input.name',
                'size(steps.list.output.users.filter(u, u.active)) + input.limit',
                'steps.list.output.users.map(u, u.id)[0]',
                'isoDate(timestamp("2024-05-08T08:00:00Z") - duration("168h"))',
                // RE2 in the sandbox: linear time, so forty a's and a ! answer at once.
                '(input.name + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!").matches("(a+)+$")',
                'input.name.matches("^(?i)arya$")',
                // The cost meter in the sandbox: a billion iterations stop at the budget.
                '[0,1,2,3,4,5,6,7,8,9].map(a, [0,1,2,3,4,5,6,7,8,9].map(b, [0,1,2,3,4,5,6,7,8,9].map(c, [0,1,2,3,4,5,6,7,8,9].map(d, [0,1,2,3,4,5,6,7,8,9].map(e, [0,1,2,3,4,5,6,7,8,9].map(f, a + b + c + d + e + f))))))',
              ],
              template: compileTemplate({ greeting: '${{ "Hi " + input.name }}', fixed: [1, 2] }),
              context,
            },
          ],
        }),
      );
      expect(result).toEqual({
        values: [
          'Hello Arya',
          3,
          '7782342274025937895',
          '2024-05-01',
          false,
          true,
          { failed: expect.stringContaining('too expensive') as string },
        ],
        template: { greeting: 'Hi Arya', fixed: [1, 2] },
      });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }, 120_000);
});
