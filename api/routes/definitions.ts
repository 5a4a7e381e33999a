import type { ApiRoutes } from '../context';
import type { DefinitionEntry } from '../services/definitions';
import {
  DefinitionDetailSchema,
  DefinitionListSchema,
  ValidateRequestSchema,
  ValidateResponseSchema,
  type DefinitionSummary,
} from '../schemas';
import { z } from 'zod';

/** Definitions: list the configured folder, validate text, show a compiled plan. */
const definitions: ApiRoutes = (app, { context }) => {
  app.get(
    '/v1/definitions',
    {
      schema: {
        tags: ['definitions'],
        operationId: 'listDefinitions',
        summary: 'Definitions in the configured folder (http.definitionsDir), valid or not.',
        response: { 200: DefinitionListSchema },
      },
    },
    () => ({ definitions: context.definitions.list().map(withPlainProblems) }),
  );

  app.post(
    '/v1/definitions/validate',
    {
      schema: {
        tags: ['definitions'],
        operationId: 'validateDefinition',
        summary: 'Validate a definition: every problem with its line, column, code and fix.',
        body: ValidateRequestSchema,
        response: { 200: ValidateResponseSchema },
      },
    },
    (request) => {
      const result = context.definitions.validateText(
        request.body.text,
        request.body.file ?? 'definition.yaml',
      );
      const warnings = result.warnings.map((warning) => ({ ...warning }));
      return result.ok
        ? { valid: true, problems: [], warnings, plan: { ...result.plan } }
        : { valid: false, problems: result.problems.map((problem) => ({ ...problem })), warnings };
    },
  );

  app.get(
    '/v1/definitions/:name',
    {
      schema: {
        tags: ['definitions'],
        operationId: 'getDefinition',
        summary: 'One definition and its compiled plan (name or name@version; default the highest version).',
        params: z.object({ name: z.string().min(1).max(200) }),
        response: { 200: DefinitionDetailSchema },
      },
    },
    (request) => {
      const { entry, plan } = context.definitions.get(request.params.name);
      return { definition: withPlainProblems(entry), plan: { ...plan } };
    },
  );
  return Promise.resolve();
};

function withPlainProblems(entry: DefinitionEntry): DefinitionSummary {
  return { ...entry, problems: entry.problems.map((problem) => ({ ...problem })) };
}

export default definitions;
