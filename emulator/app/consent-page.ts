import type { OAuthAppRecord } from '../core/credentials';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;color:#1f1f3d}' +
  'button{padding:.6rem 1.4rem;margin-right:.6rem;border-radius:6px;border:1px solid #8039df;font-size:1rem}' +
  '#approve{background:#8039df;color:#fff}li{font-family:monospace}';

/** Gong's approval screen: the app, the scopes it asks for, the company, and approve / deny. */
export function consentPage(input: {
  app: OAuthAppRecord;
  scopes: string[];
  params: Record<string, string | undefined>;
  companies: { id: string; name: string }[];
}): string {
  const hidden = ['client_id', 'redirect_uri', 'response_type', 'state']
    .map((name) => {
      const value = input.params[name];
      return value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    })
    .join('');
  const options = input.companies
    .map((company) => `<option value="${escapeHtml(company.id)}">${escapeHtml(company.name)}</option>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Authorize ${escapeHtml(input.app.name)} - Gong (emulator)</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(input.app.name)} wants to access your Gong data</h1>
<p>Signed in as a technical administrator of:</p>
<form method="post" action="/oauth2/authorize">${hidden}
<input type="hidden" name="scope" value="${escapeHtml(input.scopes.join(' '))}">
<label for="company_id">Company</label> <select id="company_id" name="company_id">${options}</select>
<p>It will be able to:</p><ul id="scopes">${input.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>
<button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form></body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Error - Gong (emulator)</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}
