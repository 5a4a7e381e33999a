import { RunStatusSchema } from '../schemas';
import { escapeHtml, page } from './connect-pages';
import { COMMON_SCRIPT, KEY_INPUT, TABLE_STYLE } from './data-page-parts';

/**
 * The recent-runs page and a run's step-log page. Like the app settings page they hold no data: their
 * scripts read /v1/runs with the API key the operator types in (kept in sessionStorage only, never in
 * the page or its URL), and build the tables with textContent, so nothing a run carries becomes markup.
 */

export function runsPage(input: { definition?: string; status?: string; limit?: number }): string {
  const statuses = ['', ...RunStatusSchema.options]
    .map(
      (status) =>
        `<option value="${status}"${status === (input.status ?? '') ? ' selected' : ''}>${status || '(any)'}</option>`,
    )
    .join('');
  const body = `${TABLE_STYLE}<p>The most recent runs, newest first. Each links to its step log and to the run in the Temporal UI.</p>
${KEY_INPUT}
<form id="filters" class="filters">
<label for="definition">Definition <input id="definition" list="definitions" value="${escapeHtml(input.definition ?? '')}" placeholder="(any)"></label>
<datalist id="definitions"></datalist>
<label for="runStatus">Status <select id="runStatus">${statuses}</select></label>
<label for="limit">Per page <input id="limit" type="number" min="1" max="1000" value="${input.limit ?? 25}" size="4"></label>
<button id="show" type="submit">Show runs</button>
</form>
<div id="status" role="status"></div>
<table id="runs"><thead><tr><th>Run</th><th>Definition</th><th>Version</th><th>Connection</th><th>Trigger</th><th>Status</th><th>Started</th><th>Closed</th><th>Links</th></tr></thead><tbody></tbody></table>
<p><button id="previous" type="button" disabled>Newer</button> <button id="next" type="button" disabled>Older</button></p>`;
  const script = `${COMMON_SCRIPT}
// The tokens of the pages before the one shown, so Newer can go back; Older follows nextPageToken.
const earlier = [];
let shown;
let nextToken;
const render = (runs) => {
  const tbody = $('runs').tBodies[0];
  tbody.replaceChildren();
  for (const run of runs) {
    const row = document.createElement('tr');
    row.dataset.runId = run.id;
    cell(row, '').replaceChildren(link('/runs/' + encodeURIComponent(run.id), run.id, 'run-id'));
    cell(row, run.definition);
    cell(row, run.version);
    cell(row, run.connection);
    cell(row, run.trigger);
    cell(row, run.status, 'status status-' + run.status);
    cell(row, when(run.startedAt), 'started');
    cell(row, when(run.closedAt), 'closed');
    const links = cell(row, '');
    links.replaceChildren(link('/runs/' + encodeURIComponent(run.id), 'Step log', 'steps-link'));
    if (isWebLink(run.uiUrl)) links.append(' ', link(run.uiUrl, 'Temporal UI', 'ui-link'));
    tbody.append(row);
  }
};
const load = async (pageToken) => {
  const params = new URLSearchParams();
  const definition = $('definition').value.trim();
  if (definition) params.set('definition', definition);
  if ($('runStatus').value) params.set('status', $('runStatus').value);
  params.set('limit', $('limit').value || '25');
  // The filters (never the key) go into the address, so the view can be bookmarked and shared.
  history.replaceState(null, '', '/runs?' + params.toString());
  if (pageToken) params.set('pageToken', pageToken);
  const data = await api('/v1/runs?' + params.toString());
  shown = pageToken;
  nextToken = data.nextPageToken;
  render(data.runs);
  $('next').disabled = !nextToken;
  $('previous').disabled = earlier.length === 0;
  $('status').className = '';
  $('status').textContent = data.runs.length === 0 ? 'No runs match.' : 'Page ' + (earlier.length + 1) + ': ' + data.runs.length + ' run(s).';
};
$('filters').onsubmit = (event) => {
  event.preventDefault();
  earlier.length = 0;
  load(undefined).catch(fail);
};
$('next').onclick = () => { earlier.push(shown); load(nextToken).catch((error) => { earlier.pop(); fail(error); }); };
$('previous').onclick = () => { const token = earlier.pop(); load(token).catch(fail); };
const fillDefinitions = () => api('/v1/definitions').then((data) => {
  $('definitions').replaceChildren(...data.definitions.map((entry) => { const option = document.createElement('option'); option.value = entry.name; return option; }));
}).catch(() => undefined);
if ($('apiKey').value) { fillDefinitions(); load(undefined).catch(fail); }
$('apiKey').onchange = fillDefinitions;`;
  return page('Recent runs', body, script);
}

export function runPage(input: { id: string }): string {
  const body = `${TABLE_STYLE}<p><a href="/runs">All runs</a></p>
${KEY_INPUT} <button id="load" type="button">Load</button>
<div id="status" role="status"></div>
<section id="run" data-run-id="${escapeHtml(input.id)}">
<h2>Run <code id="runId">${escapeHtml(input.id)}</code></h2>
<table id="summary"><tbody></tbody></table>
<p id="links"></p>
<h2>Step log</h2>
<table id="steps"><thead><tr><th>Step</th><th>Title</th><th>Kind</th><th>Status</th><th>Started</th><th>Ended</th><th>Error</th></tr></thead><tbody></tbody></table>
<h2>Result</h2>
<div id="result"></div>
</section>`;
  const script = `${COMMON_SCRIPT}
const id = $('run').dataset.runId;
const path = '/v1/runs/' + encodeURIComponent(id);
const load = async () => {
  const { run } = await api(path);
  const summary = $('summary').tBodies[0];
  summary.replaceChildren();
  for (const [label, value] of [['Status', run.status], ['Definition', run.definition], ['Version', run.version], ['Plan hash', run.hash], ['Connection', run.connection], ['Trigger', run.trigger], ['Started', when(run.startedAt)], ['Closed', when(run.closedAt)]]) {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = label;
    row.append(th);
    cell(row, value, label === 'Status' ? 'status status-' + run.status : undefined);
    summary.append(row);
  }
  $('links').replaceChildren(...(isWebLink(run.uiUrl) ? [link(run.uiUrl, 'Open in the Temporal UI', 'ui-link')] : []));
  const steps = $('steps').tBodies[0];
  steps.replaceChildren();
  try {
    const log = await api(path + '/steps');
    for (const step of log.steps) {
      const row = document.createElement('tr');
      row.dataset.stepId = step.id;
      cell(row, step.path || step.id);
      cell(row, step.title);
      cell(row, step.kind);
      cell(row, step.status, 'status status-' + step.status);
      cell(row, when(step.startedAt));
      cell(row, when(step.endedAt));
      cell(row, step.error);
      steps.append(row);
    }
  } catch (error) {
    const row = document.createElement('tr');
    cell(row, error.message).colSpan = 7;
    steps.append(row);
  }
  const result = await api(path + '/result');
  const box = $('result');
  box.dataset.status = result.status;
  const text = document.createElement('pre');
  text.textContent = result.status === 'completed' ? JSON.stringify(result.output, null, 2) : result.failure ? (result.failure.type ? result.failure.type + ': ' : '') + result.failure.message : result.status;
  box.replaceChildren(text);
  $('status').className = '';
  $('status').textContent = 'Loaded ' + new Date().toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, 'Z') + '.';
};
$('load').onclick = () => load().catch(fail);
if ($('apiKey').value) load().catch(fail);`;
  return page(`Run ${input.id}`, body, script);
}
