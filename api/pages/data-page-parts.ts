import { z } from 'zod';

/**
 * What the pages that show API data share (runs, connections): they hold no data themselves; their scripts
 * call the API with the key the operator types in (sessionStorage only, never in the page or its URL) and
 * build tables with textContent, so nothing the data carries becomes markup.
 */

export const TABLE_STYLE =
  '<style>body{max-width:76rem}table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}' +
  'th,td{border-bottom:1px solid #dee2e6;padding:.35rem .5rem;text-align:left;vertical-align:top}' +
  'th{background:#f1f3f5}td.status-completed{color:#2b8a3e}td.status-failed,td.status-timed_out,' +
  'td.status-terminated{color:#c92a2a}td.status-running{color:#3b5bdb}.filters label{display:inline-block;' +
  'margin-right:1rem}pre{background:#f1f3f5;padding:.6rem;overflow:auto}</style>';

/** The page script's shared part: the key from sessionStorage, API calls, cells and safe links. */
export const COMMON_SCRIPT = `
const $ = (id) => document.getElementById(id);
$('apiKey').value = sessionStorage.getItem('gongflowApiKey') || '';
const api = async (path, method = 'GET') => {
  sessionStorage.setItem('gongflowApiKey', $('apiKey').value);
  const response = await fetch(path, { method, headers: { authorization: 'Bearer ' + $('apiKey').value } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error.code + ': ' + data.error.message + (data.error.hint ? ' ' + data.error.hint : ''));
  return data;
};
const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\\.\\d+Z$/, 'Z') : '-');
const cell = (row, text, className) => {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null || text === '' ? '-' : String(text);
  if (className) td.className = className;
  row.append(td);
  return td;
};
const link = (href, text, className) => {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.className = className;
  return a;
};
// Only web links: a uiUrl is configuration, but it must never become a javascript: link.
const isWebLink = (url) => typeof url === 'string' && /^https?:\\/\\//i.test(url);
const fail = (error) => { $('status').textContent = error.message; $('status').className = 'error'; };`;

export const KEY_INPUT =
  '<label for="apiKey">gongflow API key</label><input id="apiKey" type="password" size="40" placeholder="gfk_..." autocomplete="off">';

export const HTML = 'text/html; charset=utf-8';

/** A page route's 200 in the OpenAPI document: a page, not JSON (Fastify sends a string it is given as is). */
export const HTML_PAGE = {
  description: 'The HTML page.',
  content: { 'text/html': { schema: z.string() } },
};
