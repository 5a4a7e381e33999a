import { renderTable } from './table';

describe('renderTable', () => {
  it('prints a header row and aligns every column to its widest cell', () => {
    const lines = renderTable(
      [
        { header: 'ID', value: (row: { id: string; status: string; note?: string }) => row.id },
        { header: 'STATUS', value: (row) => row.status },
        { header: 'NOTE', value: (row) => row.note },
      ],
      [
        { id: 'a-long-run-id', status: 'completed', note: 'two\nlines' },
        { id: 'b', status: 'failed' },
      ],
    );
    expect(lines).toEqual([
      'ID             STATUS     NOTE',
      'a-long-run-id  completed  two lines',
      'b              failed     -',
    ]);
  });

  it('prints the header alone for no rows', () => {
    expect(renderTable([{ header: 'NAME', value: (row: string) => row }], [])).toEqual(['NAME']);
  });
});
