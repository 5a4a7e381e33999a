import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderActionsDoc } from './docs';
import { GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS } from './index';

/** Writes docs/actions.md: the catalog rendered, then formatted by Prettier like every other file. */
async function main(): Promise<void> {
  const target = path.join(__dirname, '..', '..', 'docs', 'actions.md');
  // Loaded here only: Prettier's CommonJS entry imports ESM lazily, which jest cannot do.
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(target);
  const markdown = renderActionsDoc(GONG_ACTION_GROUPS, LEFT_OUT_OPERATIONS);
  await writeFile(target, await prettier.format(markdown, { ...options, parser: 'markdown' }));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
