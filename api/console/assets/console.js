/* global document, window, location, history, CSS */
/**
 * The gongflow console's one script (served as is: no build step). It calls the /v1 API with the session
 * cookie (HttpOnly: this script never sees the API key) and sends the page's CSRF token with every action.
 * Everything it shows is built with DOM nodes and textContent: nothing a run or definition carries
 * becomes markup.
 */

const $ = (id) => document.getElementById(id);
const page = document.body.dataset.page;
const user = document.body.dataset.user ?? '';
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

/** An element with attributes, event handlers (`on<event>`) and children (strings become text). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = String(value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}

async function api(path, options = {}) {
  const method = options.method ?? 'GET';
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const detail = data?.error;
    if (response.status === 401) {
      location.assign(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    const error = new Error(
      detail
        ? `${detail.code}: ${detail.message}${detail.hint ? ` ${detail.hint}` : ''}`
        : `HTTP ${response.status}`,
    );
    error.code = detail?.code;
    throw error;
  }
  return data;
}

function say(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}
const fail = (error) => say(error.message, true);

const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
const took = (ms) =>
  ms === undefined || ms === null
    ? ''
    : ms < 1000
      ? `${ms} ms`
      : ms < 60000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60000)} min`;
const json = (value) => JSON.stringify(value, null, 2) ?? 'null';
const isWebLink = (url) => typeof url === 'string' && /^https?:\/\//i.test(url);
const runLink = (id) =>
  el('a', { href: `/console/runs/${encodeURIComponent(id)}`, class: 'run-link', text: id });
const chip = (status, text = status) => el('span', { class: `chip status-${status}`, text });

/** A table row whose cells carry their column names (shown as labels at phone width). */
function row(table, cells, dataset) {
  const labels = [...table.tHead.rows[0].cells].map((cell) => cell.textContent);
  const tr = el('tr', { dataset });
  cells.forEach((content, index) => {
    const td = el('td', { 'data-label': labels[index] ?? '' });
    if (content instanceof window.Node) td.append(content);
    else td.textContent = content === undefined || content === null || content === '' ? '-' : String(content);
    tr.append(td);
  });
  table.tBodies[0].append(tr);
  return tr;
}

function facts(list, entries) {
  list.replaceChildren();
  for (const [term, value] of entries) {
    if (value === undefined || value === null || value === '') continue;
    list.append(el('dt', { text: term }), el('dd', {}, value instanceof window.Node ? value : String(value)));
  }
}

// ---------------------------------------------------------------------------------------------------
// The plan diagram: steps in order, containers (if, switch, parallel, forEach, try) as framed groups with
// their lanes side by side. Each step is a button (its accessible name says what it is and how it went).

/** What a step does, in a few words. */
function describeStep(step) {
  switch (step.kind) {
    case 'action':
      return `action ${step.action}`;
    case 'http':
      return 'http request';
    case 'set':
      return `set ${Object.keys(step.vars ?? {}).join(', ')}`;
    case 'if':
      return `if ${step.condition?.expr ?? ''}`;
    case 'switch':
      return `switch (${step.cases.length} case${step.cases.length === 1 ? '' : 's'})`;
    case 'parallel':
      return `parallel, ${step.mode}`;
    case 'forEach':
      return `for each ${step.as} in ${step.items?.expr ?? ''}`;
    case 'sleep':
      return `sleep ${took(step.durationMs)}`;
    case 'waitUntil':
      return `wait until ${step.time?.expr ?? ''}`;
    case 'waitForSignal':
      return step.approval
        ? `approval${step.approvers?.length ? ` by ${step.approvers.join(', ')}` : ''}`
        : `wait for signal ${step.signal}`;
    case 'run':
      return `sub-flow ${step.plan?.name ?? ''}@${step.plan?.version ?? ''}`;
    case 'try':
      return 'try / catch / finally';
    case 'fail':
      return `fail (${step.errorType})`;
    case 'succeed':
      return 'succeed: end the run';
    default:
      return step.kind;
  }
}

function lanesOf(step, prefix) {
  switch (step.kind) {
    case 'if':
      return [
        { label: 'then', steps: step.then, prefix },
        { label: 'else', steps: step.else, prefix },
      ];
    case 'switch':
      return [
        ...step.cases.map((branch) => ({ label: `when ${branch.when.expr}`, steps: branch.steps, prefix })),
        { label: 'default', steps: step.default, prefix },
      ];
    case 'parallel':
      return step.branches.map((branch) => ({
        label: `branch ${branch.id}`,
        steps: branch.steps,
        prefix: `${prefix}${step.id}.${branch.id}/`,
      }));
    case 'forEach':
      return [
        {
          label: `each ${step.as} (at most ${step.maxItems}, ${step.concurrency} at a time)`,
          steps: step.steps,
          prefix: `${prefix}${step.id}[*]/`,
        },
      ];
    case 'try':
      return [
        { label: 'try', steps: step.steps, prefix },
        ...(step.catch
          ? [
              {
                label: `catch ${step.catch.errorTypes.length ? step.catch.errorTypes.join(', ') : 'any failure'}`,
                steps: step.catch.steps,
                prefix,
              },
            ]
          : []),
        ...(step.finally?.length ? [{ label: 'finally', steps: step.finally, prefix }] : []),
      ];
    default:
      return undefined;
  }
}

function drawPlan(container, plan, context) {
  const flow = (steps, prefix) => {
    const list = el('ol', { class: 'flow' });
    if (steps.length === 0) list.append(el('li', {}, el('span', { class: 'empty', text: '(no steps)' })));
    for (const step of steps) list.append(el('li', {}, stepView(step, prefix)));
    return list;
  };
  const stepView = (step, prefix) => {
    const path = `${prefix}${step.id}`;
    const state = context.stateOf(path);
    const what = describeStep(step);
    const node = el(
      'button',
      {
        type: 'button',
        class: `node kind-${step.kind} status-${state.status}${context.selected === path ? ' selected' : ''}`,
        dataset: { path, status: state.status },
        'aria-label': `${step.title ? `${step.id} (${step.title})` : step.id}: ${what}. ${state.text}`,
        'aria-pressed': context.selected === path ? 'true' : 'false',
        onclick: () => context.select(path, step),
      },
      el('span', { class: 'label', text: step.title ? `${step.id} · ${step.title}` : step.id }),
      el('span', { class: 'what', text: what }),
      el('span', { class: `state status-${state.status}`, text: state.text }),
    );
    const lanes = lanesOf(step, prefix);
    if (!lanes) return node;
    return el(
      'div',
      { class: `group kind-${step.kind}` },
      node,
      el(
        'div',
        { class: 'lanes' },
        ...lanes.map((lane) =>
          el(
            'div',
            { class: 'lane' },
            el('div', { class: 'lane-label', text: lane.label }),
            flow(lane.steps, lane.prefix),
          ),
        ),
      ),
    );
  };
  const focused = document.activeElement?.dataset?.path;
  const parts = [flow(plan.steps ?? [], '')];
  if (plan.onFailure?.length) {
    parts.push(
      el(
        'div',
        { class: 'group kind-onFailure' },
        el('div', { class: 'lane-label', text: 'on failure (error handler)' }),
        flow(plan.onFailure, 'onFailure/'),
      ),
    );
  }
  container.replaceChildren(...parts);
  if (focused) container.querySelector(`[data-path="${CSS.escape(focused)}"]`)?.focus();
}

/** Every step of a plan with its diagram path (loop bodies with `[*]`), for finding the selected one. */
function stepsByPath(plan) {
  const found = new Map();
  const walk = (steps, prefix) => {
    for (const step of steps) {
      found.set(`${prefix}${step.id}`, step);
      for (const lane of lanesOf(step, prefix) ?? []) walk(lane.steps, lane.prefix);
    }
  };
  walk(plan.steps ?? [], '');
  walk(plan.onFailure ?? [], 'onFailure/');
  return found;
}

/** `each[*]/notify` matches `each[3]/notify` (and nested loops) but not `each[3]/x/notify`. */
function pathPattern(path) {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]');
  return new RegExp(`^${escaped}$`);
}

/** How each step of a run went: its step log entries (latest wins) and its record. */
function runStates(log, record) {
  const entries = new Map();
  for (const step of log?.steps ?? []) entries.set(step.path ?? step.id, step);
  const recorded = record?.steps ?? {};
  const one = (path) => {
    const entry = entries.get(path);
    const saved = recorded[path];
    if (entry?.waiting && entry.status === 'running')
      return {
        status: 'waiting',
        text: `waiting for ${entry.waiting.for === 'approval' ? 'approval' : `signal ${entry.waiting.name}`}`,
      };
    if (entry?.reused || saved?.reused) return { status: 'reused', text: 'reused from the earlier run' };
    const status = entry?.status ?? (saved && saved.status !== 'running' ? saved.status : undefined);
    if (!status) return undefined;
    const duration = entry?.durationMs;
    const text =
      status === 'completed'
        ? `completed${duration !== undefined ? ` in ${took(duration)}` : ''}`
        : status === 'failed'
          ? `failed: ${entry?.error ?? saved?.error?.message ?? ''}`
          : status;
    return { status, text };
  };
  return (path) => {
    if (!path.includes('[*]')) return one(path) ?? { status: 'pending', text: 'not run' };
    const pattern = pathPattern(path);
    const counts = {};
    const paths = new Set(
      [...entries.keys(), ...Object.keys(recorded)].filter((candidate) => pattern.test(candidate)),
    );
    for (const candidate of paths) {
      const state = one(candidate);
      if (state) counts[state.status] = (counts[state.status] ?? 0) + 1;
    }
    const order = ['failed', 'waiting', 'running', 'completed', 'reused', 'skipped'];
    const status = order.find((candidate) => counts[candidate]) ?? 'pending';
    const text =
      paths.size === 0
        ? 'not run'
        : order
            .filter((candidate) => counts[candidate])
            .map((candidate) => `${counts[candidate]} ${candidate}`)
            .join(', ');
    return { status, text };
  };
}

// ---------------------------------------------------------------------------------------------------
// Pages.

async function runsPage() {
  const table = $('runs');
  const query = new URLSearchParams(location.search);
  $('definition').value = query.get('definition') ?? '';
  $('runStatus').value = query.get('status') ?? '';
  const earlier = [];
  let shown;
  let nextToken;
  const load = async (pageToken) => {
    const params = new URLSearchParams();
    if ($('definition').value.trim()) params.set('definition', $('definition').value.trim());
    if ($('runStatus').value) params.set('status', $('runStatus').value);
    history.replaceState(null, '', `/console/runs${params.size ? `?${params}` : ''}`);
    params.set('limit', '25');
    if (pageToken) params.set('pageToken', pageToken);
    const answer = await api(`/v1/runs?${params}`);
    table.tBodies[0].replaceChildren();
    for (const run of answer.runs) {
      row(
        table,
        [
          runLink(run.id),
          `${run.definition ?? '?'}@${run.version ?? '?'}`,
          chip(run.status),
          run.trigger,
          when(run.startedAt),
          when(run.closedAt),
        ],
        { runId: run.id },
      );
    }
    shown = pageToken;
    nextToken = answer.nextPageToken;
    $('older').disabled = !nextToken;
    $('newer').disabled = earlier.length === 0;
    say(
      answer.runs.length === 0
        ? 'No runs match.'
        : `Page ${earlier.length + 1}: ${answer.runs.length} run(s).`,
    );
  };
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    earlier.length = 0;
    load(undefined).catch(fail);
  });
  $('older').addEventListener('click', () => {
    earlier.push(shown);
    load(nextToken).catch(fail);
  });
  $('newer').addEventListener('click', () => load(earlier.pop()).catch(fail));
  api('/v1/definitions')
    .then(({ definitions }) =>
      $('definitionNames').replaceChildren(
        ...definitions.map((entry) => el('option', { value: entry.name })),
      ),
    )
    .catch(() => undefined);
  await load(undefined);
}

async function runPage() {
  const id = document.body.dataset.runId;
  const base = `/v1/runs/${encodeURIComponent(id)}`;
  let selected;
  let latest = {};
  let actionsSignature;
  let timer;

  const refresh = async () => {
    clearTimeout(timer);
    let run;
    try {
      ({ run } = await api(base));
    } catch (error) {
      document.querySelectorAll('main section, main .split').forEach((section) => (section.hidden = true));
      throw error;
    }
    const [log, record] = await Promise.all([
      api(`${base}/steps`).catch((error) => ({ error })),
      api(`${base}/record`).catch((error) => ({ error })),
    ]);
    const result = run.status === 'running' ? undefined : await api(`${base}/result`);
    latest = { run, log: log.error ? undefined : log, record: record.error ? undefined : record, result };
    renderFacts(run);
    renderActions();
    renderDiagram();
    renderResult(run, result);
    if (selected) renderDetails();
    say(
      log.error || record.error
        ? (log.error ?? record.error).message
        : run.status === 'running'
          ? `Live: updated ${when(new Date().toISOString())}.`
          : `The run ${{ completed: 'completed', failed: 'failed', cancelled: 'was cancelled', terminated: 'was terminated', timed_out: 'timed out' }[run.status] ?? `is ${run.status}`}.`,
      Boolean(log.error || record.error),
    );
    document.body.dataset.runStatus = run.status;
    if (run.status === 'running') timer = setTimeout(() => refresh().catch(fail), 1000);
  };

  const renderFacts = (run) => {
    const definition = run.definition
      ? el('a', {
          href: `/console/definitions/${encodeURIComponent(run.definition)}`,
          text: `${run.definition}@${run.version ?? '?'}`,
        })
      : undefined;
    const duration = run.closedAt ? took(Date.parse(run.closedAt) - Date.parse(run.startedAt)) : undefined;
    facts($('facts'), [
      ['Status', el('span', { id: 'runStatus', class: `chip status-${run.status}`, text: run.status })],
      ['Definition', definition],
      ['Connection', run.connection],
      ['Trigger', run.trigger],
      ['Reruns', run.rerunOf ? runLink(run.rerunOf) : undefined],
      ['Started', when(run.startedAt)],
      ['Closed', run.closedAt ? `${when(run.closedAt)} (${duration})` : undefined],
      [
        'Temporal',
        isWebLink(run.uiUrl) ? el('a', { href: run.uiUrl, text: 'Open in the Temporal UI' }) : undefined,
      ],
    ]);
  };

  const waitingSteps = () =>
    (latest.log?.steps ?? []).filter((step) => step.waiting && step.status === 'running');
  const signalNames = () => {
    const names = new Set();
    for (const step of stepsByPath(latest.record?.plan ?? {}).values()) {
      if (step.kind === 'waitForSignal' && !step.approval) names.add(step.signal);
    }
    return [...names];
  };
  const mayDecide = (step) =>
    !step.waiting.approvers?.length ||
    step.waiting.approvers.some((who) => who.trim().toLowerCase() === user.trim().toLowerCase());

  const act = async (what, request) => {
    say(`${what}...`);
    const answer = await request();
    actionsSignature = undefined;
    await refresh();
    say(`${what}: done.`);
    return answer;
  };

  const renderActions = () => {
    const { run } = latest;
    const approvals = waitingSteps().filter((step) => step.waiting.for === 'approval');
    const signature = JSON.stringify([
      run.status,
      approvals.map((step) => step.path ?? step.id),
      signalNames(),
    ]);
    if (signature === actionsSignature) return;
    actionsSignature = signature;
    const actions = $('actions');
    actions.replaceChildren();
    if (run.status === 'running') {
      for (const step of approvals) {
        const path = step.path ?? step.id;
        const prompt =
          typeof step.waiting.prompt === 'string'
            ? step.waiting.prompt
            : json(step.waiting.prompt ?? `Approve ${path}?`);
        if (!mayDecide(step)) {
          actions.append(
            el('p', {
              class: 'approval',
              text: `${path} waits for approval by ${step.waiting.approvers.join(', ')}: ${prompt}`,
            }),
          );
          continue;
        }
        const comment = el('input', {
          id: `comment-${path}`,
          'aria-label': `Comment on ${path}`,
          placeholder: 'comment (optional)',
        });
        const decide = (approved) => () =>
          act(approved ? `Approving ${path}` : `Rejecting ${path}`, () =>
            api(`${base}/approvals/${encodeURIComponent(path)}`, {
              method: 'POST',
              json: { approved, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) },
            }),
          ).catch(fail);
        actions.append(
          el(
            'div',
            { class: 'card approval', role: 'group', 'aria-label': `Approval ${path}` },
            el('p', {}, el('strong', { text: `${path}: ` }), prompt),
            comment,
            ' ',
            el('button', {
              type: 'button',
              class: 'approve',
              onclick: decide(true),
              text: 'Approve',
              'aria-label': `Approve ${path}`,
            }),
            ' ',
            el('button', {
              type: 'button',
              class: 'danger reject',
              onclick: decide(false),
              text: 'Reject',
              'aria-label': `Reject ${path}`,
            }),
          ),
        );
      }
      const names = signalNames();
      if (names.length > 0) {
        const select = el(
          'select',
          { id: 'signalName', 'aria-label': 'Signal name' },
          ...names.map((name) => el('option', { value: name, text: name })),
        );
        const payload = el('textarea', {
          id: 'signalPayload',
          rows: 2,
          cols: 30,
          'aria-label': 'Signal payload (JSON)',
          placeholder: '{"key": "value"}',
        });
        actions.append(
          el(
            'form',
            {
              class: 'card',
              id: 'signalForm',
              'aria-label': 'Send a signal',
              onsubmit: (event) => {
                event.preventDefault();
                let value = null;
                try {
                  value = payload.value.trim() ? JSON.parse(payload.value) : null;
                } catch (error) {
                  fail(new Error(`The payload is not JSON: ${error.message}`));
                  return;
                }
                act(`Sending ${select.value}`, () =>
                  api(`${base}/signals/${encodeURIComponent(select.value)}`, {
                    method: 'POST',
                    json: { payload: value },
                  }),
                ).catch(fail);
              },
            },
            el('label', {}, 'Signal ', select),
            el('label', {}, 'Payload (JSON) ', payload),
            el('button', { type: 'submit', id: 'sendSignal', text: 'Send signal' }),
          ),
        );
      }
      const reason = el('input', {
        id: 'terminateReason',
        'aria-label': 'Reason for terminating',
        placeholder: 'reason (optional)',
      });
      const confirm = el(
        'span',
        { id: 'terminateConfirm', hidden: true },
        reason,
        ' ',
        el('button', {
          type: 'button',
          class: 'danger',
          id: 'terminateNow',
          text: 'Terminate now',
          onclick: () =>
            act('Terminating', () =>
              api(`${base}/terminate`, {
                method: 'POST',
                json: reason.value.trim() ? { reason: reason.value.trim() } : {},
              }),
            ).catch(fail),
        }),
      );
      actions.append(
        el('button', {
          type: 'button',
          class: 'secondary',
          id: 'cancelRun',
          text: 'Cancel run',
          onclick: () => act('Cancelling', () => api(`${base}/cancel`, { method: 'POST' })).catch(fail),
        }),
        el('button', {
          type: 'button',
          class: 'danger',
          id: 'terminateRun',
          text: 'Terminate…',
          'aria-expanded': 'false',
          onclick: (event) => {
            confirm.hidden = false;
            event.currentTarget.setAttribute('aria-expanded', 'true');
            reason.focus();
          },
        }),
        confirm,
      );
    } else if (run.status !== 'completed') {
      actions.append(
        el('button', {
          type: 'button',
          id: 'rerunRun',
          text: 'Rerun from the failed step',
          onclick: () =>
            act('Rerunning', async () => {
              const answer = await api(`${base}/rerun`, { method: 'POST' });
              location.assign(`/console/runs/${encodeURIComponent(answer.run.id)}`);
              return answer;
            }).catch(fail),
        }),
      );
    }
  };

  const renderDiagram = () => {
    const plan = latest.record?.plan;
    if (!plan) {
      $('diagram').replaceChildren(
        el('p', { class: 'hint', text: 'The plan is shown once a worker answers for this run.' }),
      );
      return;
    }
    const stateOf = runStates(latest.log, latest.record);
    drawPlan($('diagram'), plan, {
      stateOf,
      selected,
      select: (path) => {
        selected = path;
        renderDiagram();
        renderDetails();
      },
    });
  };

  const recordedAt = (path) => {
    const recorded = latest.record?.steps ?? {};
    if (!path.includes('[*]')) return recorded[path] ? [[path, recorded[path]]] : [];
    const pattern = pathPattern(path);
    return Object.entries(recorded)
      .filter(([candidate]) => pattern.test(candidate))
      .sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true }));
  };

  const valueBlock = (label, value) =>
    el(
      'details',
      { open: true, class: `value value-${label.toLowerCase()}` },
      el('summary', { text: label }),
      el('pre', { text: json(value) }),
    );

  const renderDetails = () => {
    const panel = $('details');
    const step = stepsByPath(latest.record?.plan ?? {}).get(selected);
    if (!step) return;
    const state = runStates(latest.log, latest.record)(selected);
    const entries = (latest.log?.steps ?? []).filter((entry) => (entry.path ?? entry.id) === selected);
    const entry = entries[entries.length - 1];
    const list = el('dl');
    const retrying = entry?.status === 'running' ? (latest.log?.retrying ?? []) : [];
    facts(list, [
      ['Path', selected],
      ['Kind', describeStep(step)],
      ['Status', el('span', { class: `status-${state.status}`, text: state.text })],
      ['Started', entry ? when(entry.startedAt) : undefined],
      ['Ended', entry?.endedAt ? when(entry.endedAt) : undefined],
      ['Took', entry?.durationMs !== undefined ? took(entry.durationMs) : undefined],
      [
        'Failure',
        entry?.error ? `${entry.errorType ? `${entry.errorType}: ` : ''}${entry.error}` : undefined,
      ],
      [
        'Attempts',
        retrying.length
          ? retrying
              .map(
                (retry) =>
                  `attempt ${retry.attempt}${retry.lastError ? ` (the last one failed: ${retry.lastError})` : ''}`,
              )
              .join('; ')
          : undefined,
      ],
      [
        'Waiting',
        entry?.waiting
          ? `${entry.waiting.for} ${entry.waiting.name} until ${when(entry.waiting.until)}${entry.waiting.approvers?.length ? `, approvers ${entry.waiting.approvers.join(', ')}` : ''}`
          : undefined,
      ],
    ]);
    const parts = [
      el('h2', { id: 'detailsTitle', text: step.title ? `${step.id} · ${step.title}` : step.id }),
      list,
    ];
    const recorded = recordedAt(selected);
    if (selected.includes('[*]')) {
      parts.push(el('h3', { text: `Iterations (${recorded.length})` }));
      for (const [path, saved] of recorded) {
        parts.push(
          el(
            'details',
            { class: 'iteration', dataset: { path } },
            el('summary', {}, chip(saved.reused ? 'reused' : saved.status), path),
            saved.error ? el('p', { class: 'error', text: saved.error.message }) : undefined,
            saved.input !== undefined ? valueBlock('Input', saved.input) : undefined,
            saved.output !== undefined ? valueBlock('Output', saved.output) : undefined,
          ),
        );
      }
    } else if (recorded[0]) {
      const [, saved] = recorded[0];
      if (saved.child && step.kind === 'run') parts.push(el('p', {}, 'Sub-flow run: ', runLink(saved.child)));
      if (saved.input !== undefined) parts.push(valueBlock('Input', saved.input));
      if (saved.output !== undefined) parts.push(valueBlock('Output', saved.output));
      if (saved.error && !entry?.error) parts.push(el('p', { class: 'error', text: saved.error.message }));
    }
    if (step.kind === 'forEach') {
      const iterations = Object.keys(latest.record?.steps ?? {})
        .map(
          (path) =>
            new RegExp(`^${selected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\]/`).exec(path)?.[1],
        )
        .filter((index) => index !== undefined);
      const unique = [...new Set(iterations)].sort((a, b) => Number(a) - Number(b));
      parts.push(
        el('p', {
          class: 'hint',
          text: `${unique.length} iteration(s) recorded: choose a step inside the loop to browse them.`,
        }),
      );
    }
    panel.replaceChildren(...parts);
  };

  const renderResult = (run, result) => {
    const box = $('result');
    box.dataset.status = run.status;
    if (!result) {
      box.replaceChildren(
        el('p', { class: 'hint', text: 'Still running: the result appears here when it ends.' }),
      );
      return;
    }
    if (result.status === 'completed')
      box.replaceChildren(el('pre', { id: 'output', text: json(result.output) }));
    else
      box.replaceChildren(
        el('p', {
          class: 'error',
          id: 'failure',
          text: `${result.failure?.type ? `${result.failure.type}: ` : ''}${result.failure?.message ?? result.status}`,
        }),
      );
  };

  await refresh();
}

async function definitionsPage() {
  const table = $('definitions');
  const { definitions } = await api('/v1/definitions');
  for (const definition of definitions) {
    row(
      table,
      [
        el('a', {
          href: `/console/definitions/${encodeURIComponent(definition.name)}`,
          text: definition.name,
        }),
        definition.version,
        definition.valid
          ? 'yes'
          : `no: ${definition.problems.map((problem) => `${problem.code} ${problem.message}`).join('; ')}`,
        definition.description,
        (definition.requiredScopes ?? []).join(' '),
      ],
      { definition: definition.name },
    );
  }
  say(`${definitions.length} definition(s).`);
}

function describeTrigger(trigger) {
  const settings = Object.entries(trigger.settings ?? {}).map(
    ([name, value]) => `${name} ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return [
    trigger.kind,
    settings.length ? `(${settings.join(', ')})` : '',
    trigger.filter ? `when ${trigger.filter.expr}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

async function definitionPage() {
  const name = document.body.dataset.definition;
  const { definition, plan } = await api(`/v1/definitions/${encodeURIComponent(name)}`);
  facts($('facts'), [
    ['Version', definition.version],
    ['File', definition.file],
    ['Description', definition.description],
    ['Connection', plan.connection],
    ['Plan hash', plan.hash],
    ['Scopes', (plan.requiredScopes ?? []).join(' ')],
    [
      'Runs',
      el('a', {
        href: `/console/runs?definition=${encodeURIComponent(name)}`,
        text: 'Runs of this definition',
      }),
    ],
  ]);
  const inputs = $('inputs');
  for (const [field, spec] of Object.entries(plan.input ?? {})) {
    row(inputs, [
      field,
      spec.type,
      spec.required ? 'yes' : 'no',
      spec.default === undefined ? '' : JSON.stringify(spec.default),
      spec.description,
    ]);
  }
  if (Object.keys(plan.input ?? {}).length === 0) row(inputs, ['(no input)', '', '', '', '']);
  const triggers = $('planTriggers');
  for (const trigger of plan.triggers ?? []) triggers.append(el('li', { text: describeTrigger(trigger) }));
  if ((plan.triggers ?? []).length === 0)
    triggers.append(el('li', { text: 'None: runs start from the API or the CLI.' }));
  api('/v1/triggers')
    .then(({ triggers: deployed }) => {
      for (const trigger of deployed.filter((candidate) => candidate.definition === name)) {
        triggers.append(
          el('li', {
            class: 'deployed',
            text: `Deployed: ${trigger.key} on ${trigger.connection} (${trigger.type}, ${trigger.status})`,
          }),
        );
      }
    })
    .catch(() => undefined);
  let selected;
  const byPath = stepsByPath(plan);
  const draw = () =>
    drawPlan($('diagram'), plan, {
      stateOf: () => ({ status: 'plan', text: '' }),
      selected,
      select: (path) => {
        selected = path;
        draw();
        const step = byPath.get(path);
        $('details').replaceChildren(
          el('h2', { id: 'detailsTitle', text: step.title ? `${step.id} · ${step.title}` : step.id }),
          el('p', { text: describeStep(step) }),
          el('pre', { text: json(step) }),
        );
      },
    });
  draw();
  say(definition.valid ? `${byPath.size} step(s).` : 'This definition has problems.');
}

async function triggersPage() {
  const table = $('triggers');
  const load = async () => {
    const { triggers } = await api('/v1/triggers');
    table.tBodies[0].replaceChildren();
    for (const trigger of triggers) {
      const target = { definition: trigger.definition, connection: trigger.connection, key: trigger.key };
      const label = `${trigger.definition} ${trigger.key} on ${trigger.connection}`;
      const control = (action, text, extra = {}, className = 'secondary') =>
        el('button', {
          type: 'button',
          class: `${className} ${action}`,
          text,
          'aria-label': `${text} ${label}`,
          onclick: () => {
            say(`${text}: ${label}...`);
            api(`/v1/triggers/${action}`, { method: 'POST', json: { ...target, ...extra() } })
              // Gone for good: the listing (eventually consistent) may still show it for a moment.
              .then(() => (action === 'undeploy' ? tr.remove() : load()))
              .then(() => say(`${text}: ${label}: done.`))
              .catch(fail);
          },
        });
      const actions = el('div', { class: 'actions' });
      actions.append(
        trigger.status === 'paused'
          ? control('resume', 'Resume', () => ({}))
          : control('pause', 'Pause', () => ({})),
      );
      if (trigger.type !== 'webhook') {
        const from = el('input', {
          type: 'date',
          'aria-label': `Backfill ${label} from`,
          class: 'backfill-from',
        });
        actions.append(
          from,
          control('backfill', 'Backfill', () => ({ from: from.value })),
        );
      }
      const confirm = control('undeploy', 'Yes, undeploy', () => ({}), 'danger');
      confirm.hidden = true;
      actions.append(
        el('button', {
          type: 'button',
          class: 'danger ask-undeploy',
          text: 'Undeploy…',
          'aria-label': `Undeploy ${label}`,
          onclick: () => {
            confirm.hidden = false;
            confirm.focus();
          },
        }),
        confirm,
      );
      const tr = row(
        table,
        [
          trigger.definition,
          trigger.key,
          trigger.connection,
          trigger.type,
          chip(trigger.status === 'paused' ? 'skipped' : 'running', trigger.status),
          trigger.lastEvent,
          trigger.cursor,
          trigger.detail,
          actions,
        ],
        { triggerId: trigger.id, key: trigger.key, definition: trigger.definition },
      );
    }
    say(
      triggers.length === 0
        ? 'No triggers deployed (gongflow triggers deploy <definition> --connection <id>).'
        : `${triggers.length} trigger(s).`,
    );
  };
  await load();
}

async function connectionsPage() {
  const table = $('connections');
  const load = async () => {
    const { connections } = await api('/v1/connections');
    table.tBodies[0].replaceChildren();
    for (const connection of connections) {
      const result = el('span', { class: 'test-result', 'aria-live': 'polite' });
      const test = el('button', {
        type: 'button',
        class: 'secondary test',
        text: 'Test',
        'aria-label': `Test ${connection.id}`,
        onclick: () => {
          result.textContent = 'testing...';
          api(`/v1/connections/${encodeURIComponent(connection.id)}/test`, { method: 'POST' })
            .then((outcome) => {
              result.textContent = outcome.ok
                ? `ok: ${outcome.totalUsers} users`
                : `failed: ${outcome.message ?? outcome.status}`;
              result.dataset.result = outcome.ok ? 'ok' : 'failed';
            })
            .catch((error) => {
              result.textContent = error.message;
              result.dataset.result = 'failed';
            });
        },
      });
      row(
        table,
        [
          connection.id,
          connection.customer,
          connection.authType,
          chip(
            connection.status === 'active' ? 'completed' : 'failed',
            connection.status + (connection.statusReason ? `: ${connection.statusReason}` : ''),
          ),
          connection.scopes === null ? '(all: access key)' : connection.scopes.join(' '),
          connection.apiBaseUrl,
          el('span', {}, test, ' ', result),
        ],
        { connectionId: connection.id },
      );
    }
    say(connections.length === 0 ? 'No connections yet.' : `${connections.length} connection(s).`);
  };
  $('addKey').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const id = String(form.get('id')).trim();
    say(`Adding ${id} (checking the key with Gong)...`);
    api('/v1/connections/key', {
      method: 'POST',
      json: {
        id,
        ...(String(form.get('customer')).trim() ? { customer: String(form.get('customer')).trim() } : {}),
        baseUrl: String(form.get('baseUrl')).trim(),
        accessKey: String(form.get('accessKey')).trim(),
        accessKeySecret: String(form.get('accessKeySecret')),
      },
    })
      .then(async (answer) => {
        event.target.reset();
        await load();
        say(`Added ${answer.connection.id}: Gong accepted the key (${answer.totalUsers} users).`);
      })
      .catch(fail);
  });
  $('connectOAuth').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const id = String(form.get('id')).trim();
    const customer = String(form.get('customer')).trim();
    api(`/v1/connections/${encodeURIComponent(id)}/connect-link`, {
      method: 'POST',
      json: customer ? { customer } : {},
    })
      .then((link) => {
        $('connectLink').replaceChildren(
          'Send this link to their Gong technical administrator (works until ',
          when(link.expiresAt),
          '): ',
          el('a', { href: link.url, id: 'connectUrl', text: link.url, rel: 'noreferrer' }),
        );
        say(`Connect link for ${link.connectionId} created.`);
      })
      .catch(fail);
  });
  await load();
}

const pages = {
  runs: runsPage,
  run: runPage,
  definitions: definitionsPage,
  definition: definitionPage,
  triggers: triggersPage,
  connections: connectionsPage,
};
pages[page]?.().catch(fail);
