import type { GongActionGroup } from './index';
import { gongRequestAction } from './request';
import { describeSemantics } from './semantics';

/** Where the generated part of docs/semantics.md starts and ends (the rest is written by hand). */
export const SEMANTICS_TABLE_START =
  '<!-- BEGIN write semantics: generated from gong/catalog by `npm run docs:actions` -->';
export const SEMANTICS_TABLE_END = '<!-- END write semantics -->';

/**
 * The guarantee of every action, rendered from the catalog for docs/semantics.md: reads in one list, writes
 * in a table. Pure: same catalog, same text (a test checks the committed file).
 */
export function renderSemanticsTable(groups: readonly GongActionGroup[]): string {
  const actions = groups.flatMap((group) => group.actions);
  const reads = actions.filter((action) => action.semantics === 'read').map((action) => `\`${action.name}\``);
  const writes = [...actions.filter((action) => action.semantics !== 'read'), gongRequestAction];
  return [
    SEMANTICS_TABLE_START,
    '',
    `**Reads** (retried freely): ${reads.join(', ')}.`,
    '',
    '| write | what a retry after an ambiguous outcome does |',
    '| --- | --- |',
    ...writes.map((action) => `| \`${action.name}\` | ${describeSemantics(action).replace(/\|/g, '\\|')} |`),
    '',
    SEMANTICS_TABLE_END,
  ].join('\n');
}

/** `document` with its generated section replaced by `table`. */
export function withSemanticsTable(document: string, table: string): string {
  const start = document.indexOf(SEMANTICS_TABLE_START);
  const end = document.indexOf(SEMANTICS_TABLE_END);
  if (start === -1 || end < start)
    throw new Error(
      `docs/semantics.md lacks the markers ${SEMANTICS_TABLE_START} ... ${SEMANTICS_TABLE_END}`,
    );
  return document.slice(0, start) + table + document.slice(end + SEMANTICS_TABLE_END.length);
}
