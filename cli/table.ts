/**
 * Tables as the CLI prints lists: a header row, columns aligned to their widest cell, two spaces apart,
 * the last column unpadded (so long values such as errors and URLs just run on). Cells are one line:
 * newlines inside a value are shown as spaces, and absent values as `-`.
 */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
}

export function renderTable<Row>(columns: Array<Column<Row>>, rows: readonly Row[]): string[] {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => (line[index] ?? '').length)),
  );
  const line = (values: string[]): string =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)];
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/\s*\n\s*/g, ' ');
}
