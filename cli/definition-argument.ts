import { existsSync } from 'node:fs';

/**
 * Whether a command's `<definition>` argument is a definition file (one that exists, or a name ending in .yaml,
 * .yml or .json, which then fails as a missing file with a fix) rather than a definition's name.
 */
export function isDefinitionFile(argument: string): boolean {
  return existsSync(argument) || /\.(ya?ml|json)$/i.test(argument);
}
