import type { ConnectLinkResponse } from './routes/connect';
import type {
  ApprovalAnswer,
  DefinitionDetail,
  DefinitionSummary,
  RerunAnswer,
  RunPage,
  RunResult,
  RunSummary,
  SignalAnswer,
  StartRunResponse,
  StepLog,
  Trigger,
  ValidateResponse,
} from './schemas';

/**
 * What the OpenAPI document says beyond the routes' schemas: each operation's id, tag and summary when its
 * route does not give them (routes without schemas: pages, OAuth redirects, webhooks), a description of
 * every response, and request and response examples. Keyed by `METHOD /path` as documented. The server
 * adds them when it serves /openapi.json (finishDocument); test/api/openapi.test.ts checks that every
 * operation has all of it and that every example validates against its schema.
 */
export interface OperationDocs {
  operationId?: string;
  tag?: string;
  summary?: string;
  /** The JSON request body's example. */
  request?: unknown;
  /** By status: what the answer means, and an example of a JSON answer. */
  responses: Record<string, { description: string; example?: unknown; contentType?: string }>;
}

const startedAt = '2026-11-28T08:00:00.000Z';

const run = {
  id: 'gongflow-list-users-6f0c2a52-8d1e-4c1b-9a4f-2f5e0b7c9d11',
  temporalRunId: '019377a4-2c1e-7b8a-9d3f-5e6a7b8c9d0e',
  status: 'completed',
  definition: 'list-users',
  version: '1',
  hash: 'c0ffee4d2b1a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706',
  connection: 'acme',
  trigger: 'api',
  startedAt,
  closedAt: '2026-11-28T08:00:01.250Z',
  uiUrl:
    'http://127.0.0.1:8233/namespaces/default/workflows/gongflow-list-users-6f0c2a52-8d1e-4c1b-9a4f-2f5e0b7c9d11/019377a4-2c1e-7b8a-9d3f-5e6a7b8c9d0e/history',
} satisfies RunSummary;

const connectionSecret = { name: 'slackWebhookUrl', updatedAt: startedAt };

const running = { ...run, status: 'running', closedAt: undefined } satisfies RunSummary;
const { closedAt: _closedAt, ...runningRun } = running;

const completed = {
  id: run.id,
  status: 'completed',
  output: { total: 150, listed: 150, active: 149 },
} satisfies RunResult;

const definition = {
  name: 'list-users',
  version: '1',
  file: 'list-users.yaml',
  valid: true,
  description: 'Lists every Gong user, page by page.',
  hash: run.hash,
  requiredScopes: ['api:users:read'],
  problems: [],
} satisfies DefinitionSummary;

const problem = {
  code: 'DEF_UNKNOWN_ACTION',
  message: 'Unknown action "gong.users.lst".',
  file: 'definition.yaml',
  line: 5,
  column: 13,
  path: 'steps[0].action',
  hint: 'Did you mean gong.users.list? Actions are listed in docs/actions.md.',
};

const trigger = {
  type: 'poller',
  id: 'gongflow-trigger-new-user-engage-flow-acme-0',
  definition: 'new-user-engage-flow',
  key: 'gong.user.new#0',
  connection: 'acme',
  status: 'running',
  lastEvent: '2026-11-28T07:45:00.000Z',
  cursor: '2026-11-28T07:45:00.000Z',
  detail: 'every 15m, lookback 24h; 3 runs started',
} satisfies Trigger;

const webhookKey = { id: 'uk_3f9a1c2b7d4e', type: 'url-key', detail: 'added 2026-11-28T08:00:00.000Z' };

const connection = {
  id: 'acme',
  customer: 'acme',
  authType: 'oauth',
  apiBaseUrl: 'https://us-12345.api.gong.io',
  scopes: ['api:users:read', 'api:calls:read:basic'],
  status: 'active',
  statusReason: null,
  createdAt: startedAt,
  updatedAt: startedAt,
  refreshes: 3,
  accessTokenExpiresAt: '2026-11-29T08:00:00.000Z',
  accessKey: null,
  clientId: 'your-client-id',
  source: 'temporal',
};

const appSettings = {
  key: 'default',
  inherited: false,
  credentials: { kind: 'yours', clientId: 'your-client-id', hasSecret: true },
  mandatoryScopes: ['api:users:read'],
  additionalScopes: ['api:calls:read:basic'],
  customScopes: [],
  scopes: ['api:users:read', 'api:calls:read:basic'],
  warnings: [],
  callbackUrl: 'https://gongflow.example.com/connect/gong/callback',
};

const codecPayloads = {
  payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: 'c2VjcmV0IGJ5dGVz' }],
};

const connectLink = {
  url: 'https://gongflow.example.com/connect/gong?connection=acme&customer=acme&expires=1796025600&signature=3f2a',
  connectionId: 'acme',
  customer: 'acme',
  expiresAt: '2026-12-05T08:00:00.000Z',
} satisfies ConnectLinkResponse;

const html = (description: string) => ({ description, contentType: 'text/html' });

export const OPERATION_DOCS: Record<string, OperationDocs> = {
  'POST /v1/runs': {
    request: { definition: 'list-users', input: { includeAvatars: false }, connection: 'acme' },
    responses: {
      '200': {
        description: 'An earlier start with the same Idempotency-Key: that run (created: false).',
        example: { run, created: false } satisfies StartRunResponse,
      },
      '201': {
        description: 'The run started (with waitMs: and its result, when it finished in time).',
        example: { run, created: true, result: completed } satisfies StartRunResponse,
      },
    },
  },
  'GET /v1/runs': {
    responses: {
      '200': {
        description: 'One page of runs, newest first; nextPageToken while more may follow.',
        example: { runs: [run], nextPageToken: 'eyJxIjoiYWJjIiwidCI6IiJ9' } satisfies RunPage,
      },
    },
  },
  'GET /v1/runs/{id}': {
    responses: { '200': { description: 'The run.', example: { run } } },
  },
  'GET /v1/runs/{id}/result': {
    responses: {
      '200': {
        description:
          'The outcome, tagged by status: completed has output; failed, cancelled, terminated and timed_out have failure; running has neither.',
        example: {
          id: run.id,
          status: 'failed',
          failure: {
            type: 'HttpStepError',
            message: 'Step notify: POST https://hooks.example.com answered 503.',
          },
        } satisfies RunResult,
      },
    },
  },
  'GET /v1/runs/{id}/steps': {
    responses: {
      '200': {
        description: 'The step log: every step in the order it started, what waits and what is retried.',
        example: {
          id: run.id,
          definition: 'export-approval@1',
          hash: run.hash,
          status: 'running',
          steps: [
            {
              id: 'users',
              kind: 'action',
              status: 'completed',
              startedAt,
              endedAt: '2026-11-28T08:00:00.400Z',
              durationMs: 400,
            },
            {
              id: 'approve',
              kind: 'waitForSignal',
              status: 'running',
              startedAt: '2026-11-28T08:00:00.410Z',
              waiting: {
                for: 'approval',
                name: 'approve',
                prompt: 'Export 10 users for audit?',
                approvers: ['privacy@acme.com'],
                until: '2026-11-28T09:00:00.410Z',
              },
            },
          ],
          current: ['approve'],
        } satisfies StepLog,
      },
    },
  },
  'POST /v1/runs/{id}/cancel': {
    responses: {
      '202': {
        description: 'Cancellation requested; the run may clean up first.',
        example: { run: runningRun },
      },
    },
  },
  'POST /v1/runs/{id}/terminate': {
    request: { reason: 'stuck on a decommissioned endpoint' },
    responses: {
      '200': { description: 'The run, terminated.', example: { run: { ...run, status: 'terminated' } } },
    },
  },
  'POST /v1/runs/{id}/rerun': {
    responses: {
      '201': {
        description: 'The new run, which reuses the completed steps and runs from the failed one on.',
        example: {
          run: { ...runningRun, id: `${run.id}-rerun`, trigger: 'rerun', rerunOf: run.id },
          rerunOf: run.id,
        } satisfies RerunAnswer,
      },
    },
  },
  'POST /v1/runs/{id}/signals/{name}': {
    request: { payload: { n: 3 } },
    responses: {
      '202': {
        description: 'The run took the signal: a step was waiting for it, or it is queued for the next one.',
        example: { run: runningRun, signal: { name: 'go', delivered: 'waiting' } } satisfies SignalAnswer,
      },
    },
  },
  'POST /v1/runs/{id}/approvals/{step}': {
    request: { approved: true, comment: 'ok for the audit' },
    responses: {
      '202': {
        description: "The decision was taken, made as the API key's name.",
        example: {
          run: runningRun,
          approval: { step: 'approve', approved: true, by: 'privacy@acme.com' },
        } satisfies ApprovalAnswer,
      },
    },
  },
  'GET /v1/definitions': {
    responses: {
      '200': {
        description: 'Every definition in the folder, with its problems.',
        example: { definitions: [definition] },
      },
    },
  },
  'POST /v1/definitions/validate': {
    request: {
      text: 'name: list-users\nversion: 1\nsteps:\n  - id: users\n    action: gong.users.lst\n',
      file: 'definition.yaml',
    },
    responses: {
      '200': {
        description: 'Whether it is valid: every problem, and the compiled plan when valid.',
        example: { valid: false, problems: [problem], warnings: [] } satisfies ValidateResponse,
      },
    },
  },
  'GET /v1/definitions/{name}': {
    responses: {
      '200': {
        description: 'The definition and its compiled plan.',
        example: {
          definition,
          plan: { formatVersion: 1, name: 'list-users', version: '1', hash: run.hash, steps: [] },
        } satisfies DefinitionDetail,
      },
    },
  },
  'GET /v1/triggers': {
    responses: { '200': { description: 'Every deployed trigger.', example: { triggers: [trigger] } } },
  },
  'POST /v1/triggers/pause': {
    request: { definition: 'new-user-engage-flow', connection: 'acme' },
    responses: {
      '200': {
        description: 'The triggers paused.',
        example: { triggers: [{ ...trigger, status: 'paused' }] },
      },
    },
  },
  'POST /v1/triggers/resume': {
    request: { definition: 'new-user-engage-flow', connection: 'acme' },
    responses: { '200': { description: 'The triggers resumed.', example: { triggers: [trigger] } } },
  },
  'POST /v1/triggers/backfill': {
    request: { definition: 'new-user-engage-flow', connection: 'acme', from: '2026-11-01' },
    responses: {
      '200': { description: 'The triggers replaying events since `from`.', example: { triggers: [trigger] } },
    },
  },
  'POST /v1/triggers/undeploy': {
    request: { definition: 'new-user-engage-flow', connection: 'acme' },
    responses: {
      '200': {
        description: 'What was removed: none of it starts a run again.',
        example: {
          removed: [
            {
              type: 'poller',
              id: trigger.id,
              definition: trigger.definition,
              key: trigger.key,
              connection: 'acme',
              detail: 'poller stopped',
            },
          ],
        },
      },
    },
  },
  'GET /v1/triggers/webhook-keys': {
    responses: {
      '200': {
        description: "The keys of the connection's Gong webhook endpoint, by id (never by value).",
        example: { connection: 'acme', keys: [webhookKey] },
      },
    },
  },
  'POST /v1/triggers/webhook-keys': {
    request: { connection: 'acme', urlKey: true },
    responses: {
      '200': {
        description: 'The keys added; a generated URL key is answered this once.',
        example: {
          added: [webhookKey],
          urlKey: 'Zr8yQ2vW4tN6pL0aXc3eH5kJ',
          url: 'https://gongflow.example.com/webhooks/gong/acme?key=Zr8yQ2vW4tN6pL0aXc3eH5kJ',
        },
      },
    },
  },
  'POST /v1/triggers/webhook-keys/revoke': {
    request: { connection: 'acme', key: webhookKey.id },
    responses: {
      '200': {
        description: 'The key revoked (deliveries with it are refused within 2 s), and the keys left.',
        example: { revoked: webhookKey, remaining: [] },
      },
    },
  },
  'GET /v1/connections': {
    operationId: 'listConnections',
    responses: {
      '200': {
        description: 'Every connection (secrets never included).',
        example: { connections: [connection] },
      },
    },
  },
  'GET /v1/connections/{id}': {
    operationId: 'getConnection',
    responses: { '200': { description: 'The connection.', example: connection } },
  },
  'DELETE /v1/connections/{id}': {
    operationId: 'deleteConnection',
    responses: {
      '200': {
        description: 'The connection as it was deleted.',
        example: { ...connection, status: 'revoked' },
      },
    },
  },
  'POST /v1/connections/key': {
    operationId: 'addKeyConnection',
    request: {
      id: 'acme-key',
      customer: 'acme',
      baseUrl: 'https://us-12345.api.gong.io',
      accessKey: 'AK7Q2XJ4EXAMPLE',
      accessKeySecret: 'eyJhbGciOiJIUzI1NiJ9.EXAMPLE',
    },
    responses: {
      '201': {
        description: 'Gong accepted the key: the connection, and how many users it sees.',
        example: {
          connection: {
            ...connection,
            id: 'acme-key',
            authType: 'key',
            scopes: null,
            refreshes: 0,
            accessTokenExpiresAt: null,
            accessKey: 'AK7Q2XJ4EXAMPLE',
            clientId: null,
          },
          totalUsers: 150,
        },
      },
    },
  },
  'POST /v1/connections/oauth': {
    operationId: 'startOAuthConnection',
    request: { customer: 'acme', connectionId: 'acme' },
    responses: {
      '200': {
        description:
          "The links that connect the customer's Gong: the signed connect link to send, Gong's consent URL.",
        example: {
          connectUrl: connectLink.url,
          connectUrlExpiresAt: connectLink.expiresAt,
          authorizeUrl:
            'https://app.gong.io/oauth2/authorize?client_id=your-client-id&response_type=code&scope=api%3Ausers%3Aread&state=9c1f',
          callbackUrl: appSettings.callbackUrl,
        },
      },
    },
  },
  'POST /v1/connections/{id}/test': {
    operationId: 'testConnection',
    responses: {
      '200': {
        description:
          'What Gong answered GET /v2/users with this connection (ok: false with its status otherwise).',
        example: { ok: true, totalUsers: 150 },
      },
    },
  },
  'POST /v1/connections/{id}/revoke': {
    operationId: 'revokeConnection',
    request: { reason: 'customer offboarded' },
    responses: {
      '200': { description: 'The connection, revoked.', example: { ...connection, status: 'revoked' } },
    },
  },
  'POST /v1/connections/{id}/connect-link': {
    operationId: 'createConnectLink',
    request: { customer: 'acme', expiresInSeconds: 604800 },
    responses: { '201': { description: 'The signed link, and when it expires.', example: connectLink } },
  },
  'GET /v1/connections/{id}/secrets': {
    operationId: 'listConnectionSecrets',
    responses: {
      '200': {
        description: "The connection's secrets by name and last update; values are never answered.",
        example: { secrets: [connectionSecret] },
      },
    },
  },
  'PUT /v1/connections/{id}/secrets/{name}': {
    operationId: 'setConnectionSecret',
    request: { value: 'https://hooks.slack.com/services/T000/B000/EXAMPLE' },
    responses: {
      '200': {
        description: "Stored (sealed); the connection's secrets now, names and update times only.",
        example: { secrets: [connectionSecret] },
      },
    },
  },
  'DELETE /v1/connections/{id}/secrets/{name}': {
    operationId: 'removeConnectionSecret',
    responses: {
      '200': { description: "Removed; the connection's secrets left.", example: { secrets: [] } },
    },
  },
  'GET /v1/app-settings': {
    operationId: 'getAppSettings',
    responses: { '200': { description: 'The Gong app settings in effect.', example: appSettings } },
  },
  'PUT /v1/app-settings': {
    operationId: 'saveAppSettings',
    request: {
      credentials: { kind: 'yours', clientId: 'your-client-id', clientSecret: 'your-client-secret' },
      additionalScopes: ['api:calls:read:basic'],
    },
    responses: {
      '200': { description: 'The settings as saved (the secret is never returned).', example: appSettings },
    },
  },
  'DELETE /v1/app-settings': {
    operationId: 'resetAppSettings',
    responses: {
      '200': {
        description: 'The settings back at their defaults.',
        example: {
          ...appSettings,
          inherited: true,
          credentials: { kind: 'ours', clientId: 'your-client-id' },
          additionalScopes: [],
          scopes: ['api:users:read'],
        },
      },
    },
  },
  'GET /v1/app-settings/scopes': {
    operationId: 'listGongScopes',
    responses: {
      '200': {
        description: 'The scopes always requested, and every scope Gong knows.',
        example: {
          mandatory: ['api:users:read'],
          known: [{ scope: 'api:calls:read:basic', description: 'Read basic call data.', source: 'catalog' }],
        },
      },
    },
  },
  'POST /v1/codec/encode': {
    operationId: 'encodePayloads',
    request: codecPayloads,
    responses: { '200': { description: 'The payloads, encrypted.', example: codecPayloads } },
  },
  'POST /v1/codec/decode': {
    operationId: 'decodePayloads',
    request: codecPayloads,
    responses: { '200': { description: 'The payloads, decrypted.', example: codecPayloads } },
  },
  'POST /v1/codec/ui/{token}/encode': {
    operationId: 'encodePayloadsForUi',
    request: codecPayloads,
    responses: { '200': { description: 'The payloads, encrypted.', example: codecPayloads } },
  },
  'POST /v1/codec/ui/{token}/decode': {
    operationId: 'decodePayloadsForUi',
    request: codecPayloads,
    responses: { '200': { description: 'The payloads, decrypted.', example: codecPayloads } },
  },
  'OPTIONS /v1/codec/encode': {
    operationId: 'encodePayloadsPreflight',
    responses: { '204': { description: 'CORS headers for the Temporal UI, no body.' } },
  },
  'OPTIONS /v1/codec/decode': {
    operationId: 'decodePayloadsPreflight',
    responses: { '204': { description: 'CORS headers for the Temporal UI, no body.' } },
  },
  'OPTIONS /v1/codec/ui/{token}/encode': {
    operationId: 'encodePayloadsForUiPreflight',
    responses: { '204': { description: 'CORS headers for the Temporal UI, no body.' } },
  },
  'OPTIONS /v1/codec/ui/{token}/decode': {
    operationId: 'decodePayloadsForUiPreflight',
    responses: { '204': { description: 'CORS headers for the Temporal UI, no body.' } },
  },
  'GET /healthz': {
    operationId: 'getHealth',
    responses: { '200': { description: 'The process answers.', example: { status: 'ok' } } },
  },
  'GET /readyz': {
    operationId: 'getReadiness',
    responses: {
      '200': {
        description: 'Temporal answers: ready to serve.',
        example: { status: 'ready', temporal: '127.0.0.1:7233' },
      },
      '503': { description: 'Temporal does not answer: not ready.' },
    },
  },
  'GET /metrics': {
    responses: { '200': { description: 'Prometheus text exposition format.', contentType: 'text/plain' } },
  },
  'GET /settings/gong': {
    operationId: 'appSettingsPage',
    tag: 'pages',
    summary: 'Web page: the Gong app settings (calls the API with the key typed into it).',
    responses: { '200': html('The settings page.') },
  },
  'GET /connect/gong': {
    operationId: 'connectPage',
    tag: 'connect',
    summary:
      "The page a connect link opens: whose Gong it connects, and the button that starts Gong's consent.",
    responses: {
      '200': html('The connect page (JSON with `Accept: application/json`).'),
      '4XX': html('The link is invalid or expired (410): a page that says so.'),
    },
  },
  'GET /connect/gong/start': {
    operationId: 'startConnect',
    tag: 'connect',
    summary: "Redirects to Gong's consent page for the connection the signed link names.",
    responses: {
      '302': { description: "Redirect to Gong's OAuth authorize URL." },
      '4XX': html('The link is invalid or expired: a page that says so.'),
    },
  },
  'GET /connect/gong/callback': {
    operationId: 'connectCallback',
    tag: 'connect',
    summary: 'Gong redirects here after consent: the code is exchanged and the connection saved.',
    responses: {
      '200': html('The page that confirms the connection (JSON with `Accept: application/json`).'),
      '4XX': html('Consent was refused or the state is unknown: a page that says what to do.'),
    },
  },
  'POST /webhooks/gong/{connectionId}': {
    operationId: 'receiveGongWebhook',
    tag: 'webhooks',
    summary: "Gong's automation-rule webhook: verified (URL key or signed JWT), deduplicated, starts runs.",
    responses: {
      '200': {
        description: 'Received: the runs it started (test deliveries and filtered events start none).',
      },
      '400': { description: 'WEBHOOK_MALFORMED: the body is not a Gong webhook payload.' },
      '401': { description: 'Not signed by Gong for this connection (URL key or JWT refused).' },
      '404': { description: 'No webhook trigger is deployed for the connection.' },
    },
  },
  'GET /v1/runs/{id}/record': {
    responses: {
      '200': {
        description: 'Each step that ended, by path, with the plan and input the run started with.',
        example: {
          id: run.id,
          input: {},
          trigger: null,
          plan: { formatVersion: 1, name: 'list-users', version: '1', hash: run.hash, steps: [] },
          steps: {
            users: {
              kind: 'action',
              status: 'completed',
              seq: 1,
              input: { maxItems: 100 },
              output: { users: [{ id: '7782342274025937895', emailAddress: 'jon.snow@acme.com' }] },
            },
            'each[0]/notify': {
              kind: 'http',
              status: 'failed',
              seq: 2,
              input: { method: 'POST', url: { $secret: 'secrets.slackWebhookUrl' } },
              error: {
                type: 'HttpStepError',
                message: 'Step notify: POST (url from secrets.slackWebhookUrl) answered 503.',
              },
            },
          },
        },
      },
    },
  },
  'GET /console': {
    operationId: 'consoleHome',
    responses: { '302': { description: 'Redirect to the console runs page.' } },
  },
  'GET /console/login': {
    operationId: 'consoleSignInPage',
    responses: { '200': html('The sign-in page.') },
  },
  'POST /console/login': {
    operationId: 'consoleSignIn',
    request: { apiKey: 'gfk_0123456789ab_EXAMPLE', next: '/console/runs' },
    responses: {
      '303': { description: 'Signed in: the sealed HttpOnly session cookie is set; on to `next`.' },
      '401': html('The key is not valid: the sign-in page says so.'),
      '403': html('The form was not posted from this server (no sign-in from other sites).'),
    },
  },
  'POST /console/logout': {
    operationId: 'consoleSignOut',
    request: { csrf: 'kH2x0lY2mQ9EXAMPLE' },
    responses: {
      '303': { description: 'Signed out: the cookie is cleared; on to the sign-in page.' },
      '403': html('Without the session CSRF token (not from the console): nothing happens.'),
    },
  },
  'GET /console/runs': {
    operationId: 'consoleRunsPage',
    responses: { '200': html('The page (303 to sign in without a session).') },
  },
  'GET /console/runs/{id}': {
    operationId: 'consoleRunPage',
    responses: {
      '200': html('The page (303 to sign in without a session).'),
      '404': html('No such run: a page that says so.'),
    },
  },
  'GET /console/definitions': {
    operationId: 'consoleDefinitionsPage',
    responses: { '200': html('The page (303 to sign in without a session).') },
  },
  'GET /console/definitions/{name}': {
    operationId: 'consoleDefinitionPage',
    responses: {
      '200': html('The page (303 to sign in without a session).'),
      '404': html('No such definition: a page that says so.'),
    },
  },
  'GET /console/triggers': {
    operationId: 'consoleTriggersPage',
    responses: { '200': html('The page (303 to sign in without a session).') },
  },
  'GET /console/connections': {
    operationId: 'consoleConnectionsPage',
    responses: { '200': html('The page (303 to sign in without a session).') },
  },
  'GET /connections': {
    operationId: 'connectionsPage',
    responses: { '200': html('The page.') },
  },
  'GET /runs': {
    operationId: 'runsPage',
    responses: { '200': html('The page.') },
  },
  'GET /runs/{id}': {
    operationId: 'runPage',
    responses: { '200': html('The page.') },
  },
};

/** What 4XX and 5XX answers mean on every operation with schemas. */
const ERROR_DESCRIPTIONS: Record<string, string> = {
  '4XX':
    'The request was refused: `{ error: { code, message, hint?, details? } }` with a stable code (e.g. RUN_NOT_FOUND, API_UNAUTHORIZED, API_INVALID_REQUEST).',
  '5XX':
    'The server could not answer: TEMPORAL_UNAVAILABLE or RUN_NO_WORKER (503, try again), API_INTERNAL (500, see the server log).',
};

/** The tags operations are grouped by, in the order documentation tools show them. */
const TAGS = [
  { name: 'runs', description: 'Start, follow, steer (approve, signal, cancel) and rerun runs.' },
  {
    name: 'definitions',
    description: 'The definitions the server runs: list, validate, show the compiled plan.',
  },
  {
    name: 'triggers',
    description: 'Deployed pollers, webhooks and schedules: list, pause, resume, backfill.',
  },
  { name: 'connections', description: 'Gong connections (OAuth or access key): add, connect, test, revoke.' },
  { name: 'app settings', description: "The Gong OAuth app's credentials and scopes." },
  {
    name: 'codec',
    description: "Temporal's remote codec: the Temporal UI shows encrypted payloads through it.",
  },
  { name: 'health', description: 'Liveness, readiness and Prometheus metrics.' },
  { name: 'pages', description: 'Web pages (HTML): the console (/console) and the older pages.' },
  {
    name: 'connect',
    description: "The customer's side of connecting a Gong with OAuth (public, signed links).",
  },
  { name: 'webhooks', description: "Gong's automation-rule webhooks (public, verified by key or JWT)." },
];

type Document = {
  tags?: Array<{ name: string; description: string }>;
  servers?: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
};
type Media = { schema?: unknown; example?: unknown };
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};

/**
 * The document /openapi.json serves: the generated one with `servers` (where this server is reached) and
 * each operation's docs added. Works on a copy; operations without docs are left as generated (the
 * OpenAPI test names them).
 */
export function finishDocument<T extends object>(generated: T, serverUrl: string): T {
  const document = structuredClone(generated) as T & Document;
  document.servers = [{ url: serverUrl, description: 'This gongflow server' }];
  document.tags = TAGS;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, description] of Object.entries(ERROR_DESCRIPTIONS)) {
        const response = operation.responses?.[status];
        if (response && (!response.description || response.description === 'Default Response')) {
          response.description = description;
        }
      }
      const docs = OPERATION_DOCS[`${method.toUpperCase()} ${path}`];
      if (!docs) continue;
      if (!operation.operationId && docs.operationId) operation.operationId = docs.operationId;
      if (!operation.tags?.length && docs.tag) operation.tags = [docs.tag];
      if (!operation.summary && docs.summary) operation.summary = docs.summary;
      const body = operation.requestBody?.content?.['application/json'];
      if (body && docs.request !== undefined) body.example = docs.request;
      const responses = (operation.responses ??= {});
      for (const [status, documented] of Object.entries(docs.responses)) {
        const response = (responses[status] ??= {});
        response.description = documented.description;
        if (documented.contentType) {
          const schema = Object.values(response.content ?? {})[0]?.schema ?? { type: 'string' };
          response.content = { [documented.contentType]: { schema } };
        }
        const json = response.content?.['application/json'];
        if (json && documented.example !== undefined) json.example = documented.example;
      }
      // Routes without schemas were documented with a bare 200 "Default Response": docs replace it.
      if (responses['200']?.description === 'Default Response' && !docs.responses['200'])
        delete responses['200'];
    }
  }
  return document;
}
