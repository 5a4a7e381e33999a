import { z } from 'zod';
import type { ApiRoutes } from '../context';
import { GongflowError } from '../../core/errors';
import {
  ApprovalAnswerSchema,
  ApprovalRequestSchema,
  RunEnvelopeSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunListSchema,
  RunRecordSchema,
  RerunAnswerSchema,
  RunResultSchema,
  SignalAnswerSchema,
  SignalRequestSchema,
  StartRunRequestSchema,
  StartRunResponseSchema,
  StepLogSchema,
  TerminateRequestSchema,
  WaitQuerySchema,
} from '../schemas';

const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Same key, same run: a repeated start with the same body answers the first run (created: false) ' +
        'instead of a second; the same key with a different body answers 409 RUN_IDEMPOTENCY_KEY_REUSED.',
    ),
});

/**
 * Who an approval is made by: the name of the API key it came with. A `by` in the body is accepted only
 * when it names that key, so nobody can approve as someone else by typing their name.
 */
function approverIdentity(keyName: string | undefined, claimed: string | undefined): string {
  if (!keyName) {
    throw new GongflowError('API_UNAUTHORIZED', 'Approvals need an API key.', {
      hint: 'Send Authorization: Bearer <key>.',
    });
  }
  if (claimed !== undefined && claimed.trim().toLowerCase() !== keyName.trim().toLowerCase()) {
    throw new GongflowError(
      'RUN_APPROVER_IDENTITY_MISMATCH',
      `This API key approves as "${keyName}", not "${claimed}".`,
      {
        hint: "Leave `by` out (the key's name is used), or create a key named after the approver: `gongflow api-keys create --name <email>`.",
      },
    );
  }
  return keyName;
}

/** Runs: start (idempotent, optionally waiting), read, follow, steer, list. */
const runs: ApiRoutes = (app, { context }) => {
  const service = context.runs;

  app.post(
    '/v1/runs',
    {
      schema: {
        tags: ['runs'],
        operationId: 'startRun',
        summary: 'Start a run of a definition with input on a connection.',
        description:
          'Input and connection (and its scopes) are checked before anything starts. With waitMs, answers ' +
          'when the run finishes or waitMs passes, whichever is first (result.status tells which).',
        body: StartRunRequestSchema,
        querystring: WaitQuerySchema,
        headers: IdempotencyHeadersSchema,
        response: { 200: StartRunResponseSchema, 201: StartRunResponseSchema },
      },
    },
    async (request, reply) => {
      const started = await service.start(request.body, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      const waitMs = request.query.waitMs;
      const result = waitMs !== undefined ? await service.result(started.run.id, waitMs) : undefined;
      const run = result && result.status !== 'running' ? await service.get(started.run.id) : started.run;
      return reply.code(started.created ? 201 : 200).send({ ...started, run, ...(result ? { result } : {}) });
    },
  );

  app.get(
    '/v1/runs',
    {
      schema: {
        tags: ['runs'],
        operationId: 'listRuns',
        summary: 'Runs, newest first, filtered by definition, connection, trigger and status.',
        description:
          'One page of at most `limit` runs. While more may follow, the answer carries nextPageToken: ' +
          'send it back as pageToken (with the same filters) for the next page.',
        querystring: RunListQuerySchema,
        response: { 200: RunListSchema },
      },
    },
    (request) => service.list(request.query),
  );

  app.get(
    '/v1/runs/:id',
    {
      schema: {
        tags: ['runs'],
        operationId: 'getRun',
        summary: 'A run: status, definition, connection, times, Temporal UI link.',
        params: RunIdParamsSchema,
        response: { 200: RunEnvelopeSchema },
      },
    },
    async (request) => ({ run: await service.get(request.params.id) }),
  );

  app.get(
    '/v1/runs/:id/result',
    {
      schema: {
        tags: ['runs'],
        operationId: 'getRunResult',
        summary: 'The outcome: output when completed, the typed failure otherwise (long poll with waitMs).',
        params: RunIdParamsSchema,
        querystring: WaitQuerySchema,
        response: { 200: RunResultSchema },
      },
    },
    (request) => service.result(request.params.id, request.query.waitMs ?? 0),
  );

  app.get(
    '/v1/runs/:id/steps',
    {
      schema: {
        tags: ['runs'],
        operationId: 'getRunSteps',
        summary: 'The step log: every step with its status, times and error, in the order they started.',
        params: RunIdParamsSchema,
        response: { 200: StepLogSchema },
      },
    },
    (request) => service.steps(request.params.id),
  );

  app.get(
    '/v1/runs/:id/record',
    {
      schema: {
        tags: ['runs'],
        operationId: 'getRunRecord',
        summary: 'What each step did: evaluated input, output, failure and child run, by step path.',
        description:
          'Every step that ended (loop iterations as `each[3]/step`), with the plan and input the run started ' +
          "with. Values of the secrets the server knows are redacted. Answered by a worker of the run's task queue.",
        params: RunIdParamsSchema,
        response: { 200: RunRecordSchema },
      },
    },
    (request) => service.record(request.params.id),
  );

  app.post(
    '/v1/runs/:id/cancel',
    {
      schema: {
        tags: ['runs'],
        operationId: 'cancelRun',
        summary: 'Ask a running run to cancel (it may clean up first).',
        params: RunIdParamsSchema,
        response: { 202: RunEnvelopeSchema },
      },
    },
    async (request, reply) => reply.code(202).send({ run: await service.cancel(request.params.id) }),
  );

  app.post(
    '/v1/runs/:id/terminate',
    {
      schema: {
        tags: ['runs'],
        operationId: 'terminateRun',
        summary: 'Stop a running run at once, without clean-up.',
        params: RunIdParamsSchema,
        body: TerminateRequestSchema.optional(),
        response: { 200: RunEnvelopeSchema },
      },
    },
    async (request) => ({ run: await service.terminate(request.params.id, request.body?.reason) }),
  );

  app.post(
    '/v1/runs/:id/rerun',
    {
      schema: {
        tags: ['runs'],
        operationId: 'rerunRun',
        summary: 'Rerun a failed run from its failed step, reusing the outputs of the steps it completed.',
        description:
          'Starts a new run of the same plan, input, connection and trigger. Steps the run completed are not ' +
          'executed again (no Gong call or http request repeats): their outputs are reused, and the new run ' +
          'goes on from the step that failed. The new run names the old one in `rerunOf`. 409 ' +
          'RUN_NOT_RERUNNABLE unless the run failed, was cancelled, terminated or timed out.',
        params: RunIdParamsSchema,
        response: { 201: RerunAnswerSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await service.rerun(request.params.id)),
  );

  app.post(
    '/v1/runs/:id/signals/:name',
    {
      schema: {
        tags: ['runs'],
        operationId: 'signalRun',
        summary: 'Send a signal to the waitForSignal steps of the run that wait for its name.',
        description:
          'A step waiting for the name takes it at once; otherwise it is queued for the next step that waits ' +
          'for it. 404 RUN_SIGNAL_NOT_FOUND when no step of the run waits for that name, 400 ' +
          "RUN_SIGNAL_INVALID_PAYLOAD when the payload does not match the step's declaration.",
        params: RunIdParamsSchema.extend({ name: z.string().min(1).max(200) }),
        body: SignalRequestSchema.optional(),
        response: { 202: SignalAnswerSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await service.signal(request.params.id, request.params.name, request.body?.payload)),
  );

  app.post(
    '/v1/runs/:id/approvals/:step',
    {
      schema: {
        tags: ['runs'],
        operationId: 'approveRun',
        summary: 'Approve or reject an approval step that is waiting now.',
        description:
          "The decision is made as the API key's name (`by`). 404 RUN_STEP_NOT_FOUND for a step the plan " +
          'does not have, 409 RUN_STEP_NOT_WAITING when it is not waiting now, 403 RUN_APPROVER_NOT_ALLOWED ' +
          "when the key's name is not one of the step's approvers.",
        params: RunIdParamsSchema.extend({ step: z.string().min(1).max(200) }),
        body: ApprovalRequestSchema,
        response: { 202: ApprovalAnswerSchema },
      },
    },
    async (request, reply) => {
      const by = approverIdentity(request.apiKey?.name, request.body.by);
      const { approved, comment } = request.body;
      return reply
        .code(202)
        .send(await service.approve(request.params.id, request.params.step, { approved, comment, by }));
    },
  );
  return Promise.resolve();
};

export default runs;
