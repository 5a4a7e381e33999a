import { page } from './connect-pages';
import { COMMON_SCRIPT, KEY_INPUT, TABLE_STYLE } from './data-page-parts';

/**
 * The connections page: every Gong connection with its status (active, needs re-authorisation, revoked,
 * and why), how it authenticates, its scopes and token state, and a button that tests it against Gong.
 */
export function connectionsPage(): string {
  const body = `${TABLE_STYLE}<p>Every Gong connection and its status. <em>Test</em> calls Gong with the connection (GET /v2/users).</p>
${KEY_INPUT} <button id="load" type="button">Show connections</button>
<div id="status" role="status"></div>
<table id="connections"><thead><tr><th>Connection</th><th>Customer</th><th>Auth</th><th>Status</th><th>Scopes</th><th>Gong API host</th><th>Token expires</th><th>Updated</th><th>Source</th><th>Test</th></tr></thead><tbody></tbody></table>
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
$('load').onclick = () => load().catch(fail);
if ($('apiKey').value) load().catch(fail);`;
  return page('Gong connections', body, script);
}
