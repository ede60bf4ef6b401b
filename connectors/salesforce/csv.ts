/**
 * A small RFC 4180 CSV reader and writer for Bulk API 2.0 (uploads and result files). Fields are
 * quoted when they hold a comma, a quote, CR or LF; quotes inside are doubled.
 */

/** One field as RFC 4180 writes it. */
function field(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** Rows (the first one the header) as CSV text with LF line endings. */
export function writeCsv(rows: readonly (readonly string[])[], lineEnding = '\n'): string {
  return rows.map((row) => row.map(field).join(',')).join(lineEnding) + lineEnding;
}

/** Rows of CSV text; accepts LF and CRLF, quoted fields spanning lines, a missing final newline. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          value += '"';
          i++;
        } else quoted = false;
      } else value += char;
      continue;
    }
    switch (char) {
      case '"':
        if (value !== '') throw new Error(`a quote inside an unquoted field at offset ${i}`);
        quoted = true;
        fieldStarted = true;
        break;
      case ',':
        row.push(value);
        value = '';
        fieldStarted = true;
        break;
      case '\r':
        if (text[i + 1] !== '\n') value += char;
        break;
      case '\n':
        row.push(value);
        rows.push(row);
        row = [];
        value = '';
        fieldStarted = false;
        break;
      default:
        value += char;
        fieldStarted = true;
    }
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (fieldStarted || value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header row. */
export function readCsvRecords(text: string): {
  header: string[];
  records: Record<string, string>[];
} {
  const [header = [], ...rows] = readCsv(text);
  return {
    header,
    records: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']))),
  };
}
