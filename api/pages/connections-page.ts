import { page } from './connect-pages';
import { COMMON_SCRIPT, KEY_INPUT, TABLE_STYLE } from './data-page-parts';

/**
 * The connections page: every Gong connection with its status (active, needs re-authorisation, revoked,
 * and why), how it authenticates, its scopes and token state, and a button that tests it against Gong;
 * and a small form for a connection's named secrets (set, rotate, remove; names and update times shown).
 */
export function connectionsPage(): string {
  const body = `${TABLE_STYLE}<p>Every Gong connection and its status. <em>Test</em> calls Gong with the connection (GET /v2/users).</p>
${KEY_INPUT} <button id="load" type="button">Show connections</button>
<div id="status" role="status"></div>
<table id="connections"><thead><tr><th>Connection</th><th>Customer</th><th>Auth</th><th>Status</th><th>Scopes</th><th>Gong API host</th><th>Token expires</th><th>Updated</th><th>Source</th><th>Test</th></tr></thead><tbody></tbody></table>
<h2>Secrets of a connection</h2>
<p>What the http steps of the connection's runs read as <code>secrets.&lt;name&gt;</code> (before the operator-wide ones). A value is sealed when it is set and never shown again: only names and update times are.</p>
<p><label for="secretConnection">Connection</label> <input id="secretConnection" size="24" autocomplete="off">
<button id="listSecrets" type="button">Show secrets</button></p>
<p><label for="secretName">Name</label> <input id="secretName" size="24" autocomplete="off" placeholder="crmToken">
<label for="secretValue">Value</label> <input id="secretValue" type="password" size="40" autocomplete="off">
<button id="setSecret" type="button">Set</button> <button id="removeSecret" type="button">Remove</button></p>
<table id="secrets"><thead><tr><th>Secret</th><th>Updated</th></tr></thead><tbody></tbody></table>
<p><a href="/runs">Recent runs</a> · <a href="/settings/gong">App settings</a></p>`;
  const script = `${COMMON_SCRIPT}
const test = async (id, cellOfResult) => {
  cellOfResult.textContent = 'testing...';
  try {
    const outcome = await api('/v1/connections/' + encodeURIComponent(id) + '/test', 'POST');
    cellOfResult.textContent = outcome.ok ? 'ok: ' + outcome.totalUsers + ' users' : 'failed';
    cellOfResult.dataset.result = outcome.ok ? 'ok' : 'failed';
  } catch (error) {
    cellOfResult.textContent = error.message;
    cellOfResult.dataset.result = 'failed';
  }
};
const load = async () => {
  const { connections } = await api('/v1/connections');
  const tbody = $('connections').tBodies[0];
  tbody.replaceChildren();
  for (const connection of connections) {
    const row = document.createElement('tr');
    row.dataset.connectionId = connection.id;
    cell(row, connection.id);
    cell(row, connection.customer);
    cell(row, connection.authType);
    cell(row, connection.status + (connection.statusReason ? ': ' + connection.statusReason : ''), 'status status-' + connection.status);
    cell(row, connection.scopes === null ? '(all: access key)' : connection.scopes.join(' '));
    cell(row, connection.apiBaseUrl);
    cell(row, when(connection.accessTokenExpiresAt));
    cell(row, when(connection.updatedAt));
    cell(row, connection.source);
    const action = cell(row, '');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Test';
    button.className = 'test';
    const result = document.createElement('span');
    result.className = 'test-result';
    button.onclick = () => test(connection.id, result);
    action.replaceChildren(button, ' ', result);
    tbody.append(row);
  }
  $('status').className = '';
  $('status').textContent = connections.length === 0 ? 'No connections.' : connections.length + ' connection(s).';
};
const secretsPath = (name) =>
  '/v1/connections/' + encodeURIComponent($('secretConnection').value.trim()) + '/secrets' + (name ? '/' + encodeURIComponent(name) : '');
const send = async (path, method, body) => {
  sessionStorage.setItem('gongflowApiKey', $('apiKey').value);
  const response = await fetch(path, { method, headers: { authorization: 'Bearer ' + $('apiKey').value, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error.code + ': ' + data.error.message + (data.error.hint ? ' ' + data.error.hint : ''));
  return data;
};
const showSecrets = (secrets, message) => {
  const tbody = $('secrets').tBodies[0];
  tbody.replaceChildren();
  for (const secret of secrets) {
    const row = document.createElement('tr');
    row.dataset.secretName = secret.name;
    cell(row, secret.name);
    cell(row, when(secret.updatedAt));
    tbody.append(row);
  }
  $('status').className = '';
  $('status').textContent = message;
};
const listSecrets = async () => {
  const { secrets } = await api(secretsPath());
  showSecrets(secrets, secrets.length + ' secret(s) of ' + $('secretConnection').value.trim() + '.');
};
const setSecret = async () => {
  const name = $('secretName').value.trim();
  const { secrets } = await send(secretsPath(name), 'PUT', { value: $('secretValue').value });
  $('secretValue').value = '';
  showSecrets(secrets, 'Secret ' + name + ' set.');
};
const removeSecret = async () => {
  const name = $('secretName').value.trim();
  const { secrets } = await api(secretsPath(name), 'DELETE');
  showSecrets(secrets, 'Secret ' + name + ' removed.');
};
$('listSecrets').onclick = () => listSecrets().catch(fail);
$('setSecret').onclick = () => setSecret().catch(fail);
$('removeSecret').onclick = () => removeSecret().catch(fail);
$('load').onclick = () => load().catch(fail);
if ($('apiKey').value) load().catch(fail);`;
  return page('Gong connections', body, script);
}
