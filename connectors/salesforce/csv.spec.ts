import { readCsv, readCsvRecords, writeCsv } from './csv';

describe('RFC 4180 CSV', () => {
  it('round-trips commas, quotes, newlines and empty fields', () => {
    const rows = [
      ['Id', 'Name', 'Note'],
      ['1', 'Acme, Inc.', 'said "hi"'],
      ['2', '', 'two\nlines'],
      ['3', ' padded ', 'a\r\nb'],
    ];
    expect(readCsv(writeCsv(rows))).toEqual(rows);
    expect(readCsv(writeCsv(rows, '\r\n'))).toEqual(rows);
  });

  it('reads a file without a final newline, and keys rows by the header', () => {
    expect(readCsvRecords('"a","b"\r\n1,\r\n"x""y",2')).toEqual({
      header: ['a', 'b'],
      records: [
        { a: '1', b: '' },
        { a: 'x"y', b: '2' },
      ],
    });
  });

  it('rejects an unterminated quote', () => {
    expect(() => readCsv('"abc\n')).toThrow(/unterminated/);
  });
});
