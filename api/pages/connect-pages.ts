/** Server-rendered pages of the Gong connect flow: plain HTML, no scripts, nothing secret in them. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f1f3d}' +
  'input,select{font-size:1rem;padding:.4rem;margin:.2rem 0}button{font-size:1rem;padding:.5rem 1.2rem;border-radius:6px;' +
  'border:1px solid #3b5bdb;background:#3b5bdb;color:#fff;cursor:pointer}code{background:#f1f3f5;padding:.1rem .3rem}' +
  '.error{border-left:4px solid #c92a2a;padding-left:1rem}.ok{border-left:4px solid #2b8a3e;padding-left:1rem}' +
  '.warning{color:#a61e4d}label{display:block;margin-top:.6rem}';

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} - gongflow</title><style>${PAGE_STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** The page a signed connect link opens: whose Gong is being connected, then on to Gong. */
export function connectPage(input: {
  connectionId: string;
  customer: string;
  expiresAt: string;
  /** The signed link's parameters, carried on to the start route. */
  link: Record<string, string>;
  callbackUrl: string;
}): string {
  const hidden = Object.entries(input.link)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return page(
    'Connect Gong',
    `<p>Connect the Gong of <strong id="customer">${escapeHtml(input.customer)}</strong> to gongflow
(connection <code id="connection-id">${escapeHtml(input.connectionId)}</code>). You will be sent to Gong,
where a Gong technical administrator approves access; Gong then sends you back here.</p>
<form id="connect" method="get" action="/connect/gong/start">${hidden}
<p><button id="connect-button" type="submit">Connect Gong</button></p>
</form>
<p><small>This link works until <span id="expires">${escapeHtml(input.expiresAt)}</span>.
Gong will return to <code>${escapeHtml(input.callbackUrl)}</code>.</small></p>`,
  );
}

export function connectedPage(input: {
  connectionId: string;
  customer: string;
  apiBaseUrl: string;
  scopes: string[] | null;
}): string {
  return page(
    'Gong connected',
    `<div class="ok" id="result" data-status="connected" data-connection="${escapeHtml(input.connectionId)}">
<p>Gong is connected for <strong>${escapeHtml(input.customer)}</strong> as connection
<code id="connection-id">${escapeHtml(input.connectionId)}</code>.</p>
<p>Company API host: <code>${escapeHtml(input.apiBaseUrl)}</code></p>
<p>Granted scopes:</p><ul id="scopes">${(input.scopes ?? []).map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>
</div><p>You can close this page.</p>`,
  );
}

export function connectErrorPage(input: {
  code: string;
  message: string;
  hint?: string | undefined;
}): string {
  return page(
    'Gong was not connected',
    `<div class="error" id="result" data-status="error" data-code="${escapeHtml(input.code)}">
<p id="message">${escapeHtml(input.message)}</p>
${input.hint ? `<p id="hint">${escapeHtml(input.hint)}</p>` : ''}
<p><small>Error code <code id="code">${escapeHtml(input.code)}</code></small></p></div>`,
  );
}
