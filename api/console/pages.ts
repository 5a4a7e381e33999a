import { escapeHtml } from '../pages/connect-pages';

/**
 * The console's pages as the server renders them: a shell (navigation, who is signed in, sign out, the
 * CSRF token) around an empty skeleton that /console/assets/console.js fills from the API. No data is in
 * the markup and no script is inline: the page's Content-Security-Policy allows only this origin's files.
 */

export type ConsolePage =
  | 'runs'
  | 'run'
  | 'definitions'
  | 'definition'
  | 'triggers'
  | 'connections'
  /** A run or definition that does not exist: a message, nothing for the script to load. */
  | 'missing';

const NAV: Array<{ page: ConsolePage; href: string; label: string }> = [
  { page: 'runs', href: '/console/runs', label: 'Runs' },
  { page: 'definitions', href: '/console/definitions', label: 'Definitions' },
  { page: 'triggers', href: '/console/triggers', label: 'Triggers' },
  { page: 'connections', href: '/console/connections', label: 'Connections' },
];

function head(title: string, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${extra}
<title>${escapeHtml(title)} · gongflow console</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script></head>`;
}

export interface ShellInput {
  page: ConsolePage;
  title: string;
  /** The API key's name: who the console acts as (approvals are made as it). */
  user: string;
  csrf: string;
  /** data-* attributes of the body the script reads (a run id, a definition name). */
  data?: Record<string, string>;
  body: string;
}

export function shell(input: ShellInput): string {
  const section = input.page === 'run' ? 'runs' : input.page === 'definition' ? 'definitions' : input.page;
  const nav = NAV.map(
    (item) =>
      `<a href="${item.href}"${item.page === section ? ' aria-current="page"' : ''}>${item.label}</a>`,
  ).join('');
  const data = Object.entries({ page: input.page, user: input.user, ...input.data })
    .map(
      ([name, value]) =>
        ` data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${escapeHtml(value)}"`,
    )
    .join('');
  return `${head(input.title, `\n<meta name="csrf-token" content="${escapeHtml(input.csrf)}">`)}
<body${data}>
<header class="top"><a class="brand" href="/console/runs">gongflow</a>
<nav aria-label="Console">${nav}</nav>
<div class="who"><span>Signed in as <strong id="user">${escapeHtml(input.user)}</strong></span>
<form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}"><button type="submit" class="quiet" id="signOut">Sign out</button></form></div>
</header>
<main id="main"><h1 id="title">${escapeHtml(input.title)}</h1>
<div id="status" role="status" aria-live="polite"></div>
${input.body}</main></body></html>`;
}

export function loginPage(input: { next: string; error?: string }): string {
  return `${head('Sign in')}
<body data-page="login"><main id="main" class="narrow"><h1>gongflow console</h1>
<p>Sign in with a gongflow API key (<code>gongflow api-keys create --name you@example.com</code>). The key is
kept in a sealed, HttpOnly cookie for 12 hours; this page and its scripts never see it again.</p>
${input.error ? `<p class="error" role="alert" id="loginError">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/console/login" id="login">
<input type="hidden" name="next" value="${escapeHtml(input.next)}">
<label for="apiKey">API key</label>
<input id="apiKey" name="apiKey" type="password" autocomplete="off" required placeholder="gfk_..." size="44">
<p><button type="submit" id="signIn">Sign in</button></p>
</form></main></body></html>`;
}

export const RUNS_BODY = `<form id="filters" class="filters" aria-label="Filter runs">
<label>Definition <input id="definition" name="definition" list="definitionNames" placeholder="(any)"></label>
<datalist id="definitionNames"></datalist>
<label>Status <select id="runStatus" name="status"><option value="">(any)</option>
${['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'].map((status) => `<option>${status}</option>`).join('')}
</select></label>
<button type="submit" id="applyFilters">Show</button></form>
<table id="runs" class="responsive"><thead><tr><th>Run</th><th>Definition</th><th>Status</th><th>Trigger</th><th>Started</th><th>Closed</th></tr></thead><tbody></tbody></table>
<p class="pager"><button type="button" id="newer" disabled>Newer</button> <button type="button" id="older" disabled>Older</button></p>`;

export const RUN_BODY = `<section id="summary" aria-label="Run summary"><dl id="facts"></dl>
<div id="actions" class="actions" aria-label="Actions"></div></section>
<div class="split"><section aria-labelledby="diagramTitle"><h2 id="diagramTitle">Steps</h2>
<p class="legend" aria-hidden="true"><span class="chip status-completed">completed</span><span class="chip status-running">running</span><span class="chip status-waiting">waiting</span><span class="chip status-failed">failed</span><span class="chip status-skipped">skipped</span><span class="chip status-reused">reused</span><span class="chip status-pending">not run</span></p>
<div id="diagram" class="diagram"></div></section>
<aside id="details" aria-labelledby="detailsTitle" class="details"><h2 id="detailsTitle">Step</h2><p class="hint">Choose a step to see its input, output, attempts and timing.</p></aside></div>
<section aria-labelledby="resultTitle"><h2 id="resultTitle">Result</h2><div id="result"></div></section>`;

export const DEFINITIONS_BODY = `<table id="definitions" class="responsive"><thead><tr><th>Definition</th><th>Version</th><th>Valid</th><th>Description</th><th>Scopes</th></tr></thead><tbody></tbody></table>`;

export const DEFINITION_BODY = `<section aria-labelledby="aboutTitle"><h2 id="aboutTitle" class="visually-hidden">About</h2><dl id="facts"></dl></section>
<section aria-labelledby="inputTitle"><h2 id="inputTitle">Input</h2><table id="inputs" class="responsive"><thead><tr><th>Name</th><th>Type</th><th>Required</th><th>Default</th><th>Description</th></tr></thead><tbody></tbody></table></section>
<section aria-labelledby="triggersTitle"><h2 id="triggersTitle">Triggers</h2><ul id="planTriggers"></ul></section>
<section aria-labelledby="diagramTitle"><h2 id="diagramTitle">Plan</h2><div id="diagram" class="diagram"></div></section>
<aside id="details" aria-labelledby="detailsTitle" class="details"><h2 id="detailsTitle">Step</h2><p class="hint">Choose a step to see what it does.</p></aside>`;

export const TRIGGERS_BODY = `<p>Pollers, webhooks and schedules deployed with <code>gongflow triggers deploy</code>: what each last received, and controls.</p>
<table id="triggers" class="responsive"><thead><tr><th>Definition</th><th>Trigger</th><th>Connection</th><th>Type</th><th>Status</th><th>Last event</th><th>Cursor / next</th><th>Detail</th><th>Actions</th></tr></thead><tbody></tbody></table>`;

export const CONNECTIONS_BODY = `<table id="connections" class="responsive"><thead><tr><th>Connection</th><th>Customer</th><th>Auth</th><th>Status</th><th>Scopes</th><th>Gong API host</th><th>Test</th></tr></thead><tbody></tbody></table>
<div class="forms"><form id="addKey" class="card" aria-labelledby="addKeyTitle"><h2 id="addKeyTitle">Add an access key</h2>
<label>Connection id <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9_.:@\\-]*"></label>
<label>Customer <input name="customer" placeholder="(the connection id)"></label>
<label>Gong API base URL <input name="baseUrl" type="url" required placeholder="https://us-12345.api.gong.io"></label>
<label>Access key <input name="accessKey" required autocomplete="off"></label>
<label>Access key secret <input name="accessKeySecret" type="password" required autocomplete="off"></label>
<p><button type="submit" id="addKeyButton">Add and check with Gong</button></p></form>
<form id="connectOAuth" class="card" aria-labelledby="connectTitle"><h2 id="connectTitle">Connect a Gong with OAuth</h2>
<p>Creates a signed link for the customer's Gong technical administrator: they open it, approve in Gong, and the connection appears here.</p>
<label>Connection id <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9_.:@\\-]*"></label>
<label>Customer <input name="customer" placeholder="(the connection id)" pattern="[a-z][a-z0-9\\-]*" title="lowercase letters, digits and dashes"></label>
<p><button type="submit" id="connectButton">Create connect link</button></p>
<p id="connectLink" class="link-out"></p></form></div>`;

export function missingBody(what: string, back: { href: string; label: string }): string {
  return `<p class="error" id="notFound" role="alert">${escapeHtml(what)}</p><p><a href="${back.href}">${escapeHtml(back.label)}</a></p>`;
}
