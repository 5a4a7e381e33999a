/** Test fixtures (`gongflow test`) sit beside definitions as `<name>.fixtures.yaml`: they are not definitions. */
const FIXTURES_FILE = /\.fixtures\.(ya?ml|json)$/i;

/** Whether a file name is a definition's: YAML or JSON, and not a fixtures file. */
export function isDefinitionFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name) && !FIXTURES_FILE.test(name);
}
