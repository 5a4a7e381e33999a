import { GONG_SCOPES } from '../../gong/catalog/scopes';
import { escapeHtml, page } from './connect-pages';

/**
 * The app settings page (as Cobalt's): our credentials or yours, the mandatory scope, additional scopes
 * from Gong's known list, custom scopes (with a warning), and the callback URL to paste into the Gong
 * app. The page holds no data itself: its script reads and saves /v1/app-settings with the API key the
 * operator types in (kept in sessionStorage only).
 */
export function appSettingsPage(input: { callbackUrl: string; customer?: string }): string {
  const scopes = GONG_SCOPES.filter((scope) => scope.scope !== 'api:users:read')
    .map(
      (scope) =>
        `<label><input type="checkbox" name="additional" value="${escapeHtml(scope.scope)}"> <code>${escapeHtml(scope.scope)}</code> ${escapeHtml(scope.description)}</label>`,
    )
    .join('');
  const body = `<p>Which Gong OAuth app customers install, and which scopes it asks for.</p>
<label for="apiKey">gongflow API key</label><input id="apiKey" type="password" size="40" placeholder="gfk_...">
<label for="customer">Settings for</label><input id="customer" value="${escapeHtml(input.customer ?? '')}" placeholder="(default: every customer)">
<p><button id="load" type="button">Load</button></p>
<form id="settings">
<h2>Credentials</h2>
<label><input type="radio" name="credentials" value="ours" checked> Use our credentials (the operator's Gong app from temporal.yaml)</label>
<label><input type="radio" name="credentials" value="yours"> Use your own credentials</label>
<div id="own"><label for="clientId">Client ID</label><input id="clientId" size="40">
<label for="clientSecret">Client secret</label><input id="clientSecret" type="password" size="40" placeholder="(unchanged)"></div>
<h2>Callback URL</h2>
<p>Paste this into the Gong app's <em>Redirect URI</em>: <code id="callbackUrl">${escapeHtml(input.callbackUrl)}</code></p>
<h2>Scopes</h2>
<label><input type="checkbox" checked disabled> <code>api:users:read</code> mandatory (gongflow tests connections with it)</label>
<h3>Additional scopes</h3>${scopes}
<h3>Custom scopes</h3>
<p class="warning">Scopes gongflow does not know are sent as typed. If the Gong app does not have them selected, Gong refuses the install with invalid_scope.</p>
<input id="customScopes" size="60" placeholder="api:example:read api:other:write">
<p><button id="save" type="submit">Save</button></p>
</form>
<div id="status" role="status"></div>`;
  const script = `
const $ = (id) => document.getElementById(id);
$('apiKey').value = sessionStorage.getItem('gongflowApiKey') || '';
const query = () => { const c = $('customer').value.trim(); return c ? '?customer=' + encodeURIComponent(c) : ''; };
const call = async (method, body) => {
  sessionStorage.setItem('gongflowApiKey', $('apiKey').value);
  const response = await fetch('/v1/app-settings' + query(), { method, headers: { authorization: 'Bearer ' + $('apiKey').value, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error.code + ': ' + data.error.message + (data.error.hint ? ' ' + data.error.hint : ''));
  return data;
};
const show = (view) => {
  document.querySelector('input[name=credentials][value=' + view.credentials.kind + ']').checked = true;
  $('clientId').value = view.credentials.kind === 'yours' ? view.credentials.clientId : '';
  for (const box of document.querySelectorAll('input[name=additional]')) box.checked = view.additionalScopes.includes(box.value);
  $('customScopes').value = view.customScopes.join(' ');
  $('callbackUrl').textContent = view.callbackUrl;
  $('status').textContent = 'Requested scopes: ' + view.scopes.join(' ') + (view.warnings.length ? ' | ' + view.warnings.join(' ') : '');
};
$('load').onclick = () => call('GET').then(show).catch((e) => { $('status').textContent = e.message; });
$('settings').onsubmit = (event) => {
  event.preventDefault();
  const kind = document.querySelector('input[name=credentials]:checked').value;
  const credentials = kind === 'yours' ? { kind, clientId: $('clientId').value, ...($('clientSecret').value ? { clientSecret: $('clientSecret').value } : {}) } : { kind };
  const additionalScopes = [...document.querySelectorAll('input[name=additional]:checked')].map((box) => box.value);
  const customScopes = $('customScopes').value.split(/\\s+/).filter(Boolean);
  call('PUT', { credentials, additionalScopes, customScopes }).then((view) => { show(view); $('status').textContent = 'Saved. ' + $('status').textContent; }).catch((e) => { $('status').textContent = e.message; });
};`;
  return page('Gong app settings', body, script);
}
