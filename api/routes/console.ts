import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GongflowError } from '../../core/errors';
import type { ApiContext, ApiRoutes } from '../context';
import {
  CONNECTIONS_BODY,
  DEFINITION_BODY,
  DEFINITIONS_BODY,
  loginPage,
  missingBody,
  RUN_BODY,
  RUNS_BODY,
  shell,
  TRIGGERS_BODY,
  type ShellInput,
} from '../console/pages';
import { sameOrigin, sessionCookie, setSessionCookie } from '../console/session';
import { HTML, HTML_PAGE } from '../pages/data-page-parts';

const ASSETS_DIR = path.join(__dirname, '..', 'console', 'assets');
const ASSETS: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Whether a lookup finds its thing; false for the given not-found code, other errors propagate. */
async function exists(lookup: () => Promise<unknown>, notFound: string): Promise<boolean> {
  try {
    await lookup();
    return true;
  } catch (error) {
    if (error instanceof GongflowError && error.code === notFound) return false;
    throw error;
  }
}

/** Where the console may send someone after signing in: its own pages only (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console\/[A-Za-z0-9/_.%~@:-]*$/.test(next) && !next.includes('//')
    ? next
    : '/console/runs';
}

/** Secure cookies when the console is reached over HTTPS (directly, or behind a proxy that says so). */
function isHttps(request: FastifyRequest, context: ApiContext): boolean {
  return (
    request.protocol === 'https' ||
    request.headers['x-forwarded-proto'] === 'https' ||
    (context.config.http.publicUrl ?? '').startsWith('https:')
  );
}

/**
 * The operator console (docs/console.md): sign in once with an API key, then pages for runs (a diagram of
 * each run coloured by step status, live, with its actions), definitions, triggers and connections. The
 * pages are shells; their script calls the /v1 API with the session cookie and the CSRF token.
 */
const consoleRoutes: ApiRoutes = (app, { context }) => {
  const tags = ['pages'];
  const assets = new Map(
    Object.entries(ASSETS).map(([file, type]) => [
      file,
      { type, body: readFileSync(path.join(ASSETS_DIR, file), 'utf8') },
    ]),
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  /** The signed-in key's name and the page's CSRF token; undefined (after redirecting to sign in) without. */
  const signedIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ user: string; csrf: string } | undefined> => {
    const session = context.sessions.open(sessionCookie(request));
    const record = session ? await context.apiKeys.verify(session.apiKey) : undefined;
    if (!session || !record) {
      if (session) setSessionCookie(reply, isHttps(request, context), undefined);
      const next = encodeURIComponent(request.url);
      await reply.redirect(`/console/login?next=${next}`, 303);
      return undefined;
    }
    return { user: record.name, csrf: context.sessions.csrfToken(session) };
  };

  const page = (
    url: string,
    summary: string,
    render: (request: FastifyRequest) => Omit<ShellInput, 'user' | 'csrf'>,
  ): void => {
    app.get(
      url,
      { config: { public: true }, schema: { tags, summary, response: { 200: HTML_PAGE } } },
      async (request, reply) => {
        const who = await signedIn(request, reply);
        if (!who) return reply;
        return reply.type(HTML).send(shell({ ...render(request), ...who }));
      },
    );
  };

  app.get(
    '/console',
    { config: { public: true }, schema: { tags, summary: 'The console: its runs page.' } },
    (_request, reply) => reply.redirect('/console/runs', 302),
  );

  app.get(
    '/console/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Console sign-in page: an API key, once.',
        querystring: z.object({ next: z.string().max(500).optional() }),
        response: { 200: HTML_PAGE },
      },
    },
    (request, reply) => {
      reply.type(HTML);
      return loginPage({ next: safeNext(request.query.next) });
    },
  );

  app.post(
    '/console/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in: checks the API key and sets the sealed, HttpOnly session cookie.',
        body: z.object({ apiKey: z.string().max(400).optional(), next: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      const next = safeNext(request.body.next);
      // A sign-in form posted from another site would log the victim into the attacker's key.
      if (!sameOrigin(request)) {
        return reply
          .code(403)
          .type(HTML)
          .send(loginPage({ next, error: 'Sign in from this page.' }));
      }
      const key = (request.body.apiKey ?? '').trim();
      const record = key ? await context.apiKeys.verify(key) : undefined;
      if (!record) {
        return reply
          .code(401)
          .type(HTML)
          .send(loginPage({ next, error: 'That API key is not valid (unknown or revoked).' }));
      }
      setSessionCookie(reply, isHttps(request, context), context.sessions.seal(key).cookie);
      return reply.redirect(next, 303);
    },
  );

  app.post(
    '/console/logout',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign out: clears the session cookie.',
        body: z.object({ csrf: z.string().max(200).optional() }),
      },
    },
    async (request, reply) => {
      const session = context.sessions.open(sessionCookie(request));
      if (session && (!sameOrigin(request) || !context.sessions.acceptsCsrf(session, request.body.csrf))) {
        return reply
          .code(403)
          .type(HTML)
          .send(loginPage({ next: '/console/runs', error: 'Sign out from the console.' }));
      }
      setSessionCookie(reply, isHttps(request, context), undefined);
      return reply.redirect('/console/login', 303);
    },
  );

  page('/console/runs', 'Console: runs, newest first, filtered by definition and status.', () => ({
    page: 'runs',
    title: 'Runs',
    body: RUNS_BODY,
  }));
  app.get(
    '/console/runs/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          "Console: one run, drawn as its plan's diagram coloured by step status, live, with its actions.",
        params: z.object({ id: z.string().min(1).max(400) }),
        response: { 200: HTML_PAGE, 404: HTML_PAGE },
      },
    },
    async (request, reply) => {
      const who = await signedIn(request, reply);
      if (!who) return reply;
      const { id } = request.params;
      if (!(await exists(() => context.runs.get(id), 'RUN_NOT_FOUND'))) {
        const body = missingBody(`No run with id "${id}".`, { href: '/console/runs', label: 'All runs' });
        return reply
          .code(404)
          .type(HTML)
          .send(shell({ page: 'missing', title: 'Run not found', body, ...who }));
      }
      return reply
        .type(HTML)
        .send(shell({ page: 'run', title: `Run ${id}`, data: { runId: id }, body: RUN_BODY, ...who }));
    },
  );
  page('/console/definitions', 'Console: the definitions the server runs.', () => ({
    page: 'definitions',
    title: 'Definitions',
    body: DEFINITIONS_BODY,
  }));
  app.get(
    '/console/definitions/:name',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Console: one definition, its plan drawn as a diagram, its triggers and input.',
        params: z.object({ name: z.string().min(1).max(200) }),
        response: { 200: HTML_PAGE, 404: HTML_PAGE },
      },
    },
    async (request, reply) => {
      const who = await signedIn(request, reply);
      if (!who) return reply;
      const { name } = request.params;
      // Invalid definitions have a page too (it shows their problems): only unknown names are missing.
      const known = context.definitions
        .list()
        .some((entry) => entry.name === name || `${entry.name}@${entry.version}` === name);
      if (!known) {
        const body = missingBody(`No definition named "${name}".`, {
          href: '/console/definitions',
          label: 'All definitions',
        });
        return reply
          .code(404)
          .type(HTML)
          .send(shell({ page: 'missing', title: 'Definition not found', body, ...who }));
      }
      return reply.type(HTML).send(
        shell({
          page: 'definition',
          title: name,
          data: { definition: name },
          body: DEFINITION_BODY,
          ...who,
        }),
      );
    },
  );
  page('/console/triggers', 'Console: deployed triggers; pause, resume, backfill, undeploy.', () => ({
    page: 'triggers',
    title: 'Triggers',
    body: TRIGGERS_BODY,
  }));
  page('/console/connections', 'Console: Gong connections; add a key, connect with OAuth, test.', () => ({
    page: 'connections',
    title: 'Connections',
    body: CONNECTIONS_BODY,
  }));

  app.get(
    '/console/assets/:file',
    { config: { public: true }, schema: { hide: true, params: z.object({ file: z.string().max(100) }) } },
    (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).type('text/plain').send('Not found');
      return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
    },
  );
  return Promise.resolve();
};

export default consoleRoutes;
