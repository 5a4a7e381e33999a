import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderActionsDoc } from './docs';
import { GONG_ACTION_GROUPS, GONG_ACTIONS, LEFT_OUT_OPERATIONS } from './index';
import { renderSemanticsTable, withSemanticsTable } from './semantics-docs';

const repoRoot = path.join(__dirname, '..', '..');
const docPath = path.join(repoRoot, 'docs', 'actions.md');
const semanticsPath = path.join(repoRoot, 'docs', 'semantics.md');

/** Prettier runs in a child process: its lazy ESM imports do not work inside jest's module system. */
function formatMarkdown(markdown: string, file = docPath): string {
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', file],
    { cwd: repoRoot, input: markdown, encoding: 'utf8' },
  );
}

describe('docs/actions.md', () => {
  const rendered = renderActionsDoc(GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS);

  it('is the rendering of the current catalog (run `npm run docs:actions` after changing it)', () => {
    expect(readFileSync(docPath, 'utf8')).toBe(formatMarkdown(rendered));
  });

  it('documents every action and every left-out operation', () => {
    for (const name of GONG_ACTIONS.keys()) expect(rendered).toContain(`### \`${name}\``);
    for (const operation of LEFT_OUT_OPERATIONS)
      expect(rendered).toContain(`\`${operation.method} ${operation.path}\``);
  });

  it('renders the same text every time (pure)', () => {
    expect(renderActionsDoc(GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS)).toBe(rendered);
  });
});

describe('docs/semantics.md', () => {
  const table = renderSemanticsTable(GONG_ACTION_GROUPS);

  it('holds the write semantics of the current catalog (run `npm run docs:actions` after changing it)', () => {
    const current = readFileSync(semanticsPath, 'utf8');
    expect(current).toBe(formatMarkdown(withSemanticsTable(current, table), semanticsPath));
  });

  it('states the guarantee of every action, gong.request included', () => {
    for (const name of [...GONG_ACTIONS.keys(), 'gong.request']) expect(table).toContain(`\`${name}\``);
  });
});
