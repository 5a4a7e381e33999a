import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderActionsDoc } from './docs';
import { GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS } from './index';
import { renderSemanticsTable, withSemanticsTable } from './semantics-docs';

/**
 * Writes docs/actions.md (the catalog rendered) and the write-semantics table of docs/semantics.md, both
 * formatted by Prettier like every other file.
 */
async function main(): Promise<void> {
  const docs = path.join(__dirname, '..', '..', 'docs');
  // Loaded here only: Prettier's CommonJS entry imports ESM lazily, which jest cannot do.
  const prettier = await import('prettier');
  const format = async (file: string, markdown: string) =>
    prettier.format(markdown, { ...(await prettier.resolveConfig(file)), parser: 'markdown' });

  const actions = path.join(docs, 'actions.md');
  await writeFile(actions, await format(actions, renderActionsDoc(GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS)));
  const semantics = path.join(docs, 'semantics.md');
  const current = await readFile(semantics, 'utf8');
  await writeFile(
    semantics,
    await format(semantics, withSemanticsTable(current, renderSemanticsTable(GONG_ACTION_GROUPS))),
  );
  console.log(
    `wrote ${path.relative(process.cwd(), actions)} and ${path.relative(process.cwd(), semantics)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
