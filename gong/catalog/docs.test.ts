import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderActionsDoc } from './docs';
import { GONG_ACTION_GROUPS, GONG_ACTIONS, LEFT_OUT_OPERATIONS } from './index';

const repoRoot = path.join(__dirname, '..', '..');
const docPath = path.join(repoRoot, 'docs', 'actions.md');

/** Prettier runs in a child process: its lazy ESM imports do not work inside jest's module system. */
function formatMarkdown(markdown: string): string {
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', docPath],
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
