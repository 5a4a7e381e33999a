/**
 * A value quoted for a Temporal visibility query. Values come from configuration (task queue names) and ids;
 * quoting them keeps a quote inside a name from ending the string and changing the query.
 */
export function visibilityString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
