/**
 * CSV for Excel: UTF-8 with a byte-order mark (so Excel shows Chinese), CRLF lines, RFC 4180
 * quoting, and text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
 * tab or CR) defused with a leading apostrophe. Amounts are written as plain numbers.
 */
export type CsvCell = string | number | { cents: number };

export const BOM = '\uFEFF';

function textCell(text: string): string {
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

function cell(value: CsvCell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'object') return (value.cents / 100).toFixed(2);
  return textCell(value);
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A CSV record and its row number as a spreadsheet shows it (the header is row 1). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  readonly code = 'CSV_SYNTAX';

  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Reads CSV as Excel writes it (RFC 4180): a leading byte-order mark is skipped, quoted cells may
 * hold commas, quotes ("") and line breaks, lines end in CRLF, LF or CR. Blank lines are skipped
 * (they still count as rows, as in a spreadsheet). One record at a time, so 200,000 rows are never
 * all held as arrays at once. An unterminated quote throws CsvSyntaxError naming its row.
 */
export function* readCsv(text: string): Generator<CsvRecord> {
  let i = text.startsWith(BOM) ? 1 : 0;
  const n = text.length;
  let row = 0;
  while (i < n) {
    row += 1;
    const start = row;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (;;) {
      if (i >= n) {
        cells.push(cell);
        i += 1;
        break;
      }
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i += 1;
          }
        } else {
          cell += ch;
          i += 1;
        }
        continue;
      }
      if (ch === '"' && cell === '') {
        quoted = true;
        i += 1;
        if (!text.includes('"', i)) throw new CsvSyntaxError(start, `row ${start}: a quoted cell is never closed`);
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        i += 1;
      } else if (ch === '\r' || ch === '\n') {
        cells.push(cell);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        break;
      } else {
        cell += ch;
        i += 1;
      }
    }
    if (cells.length === 1 && cells[0] === '') continue;
    yield { row: start, cells };
  }
}

/** Undoes `textCell`'s formula defusing: an exported "'=x" reads back as "=x". */
export function undefuseCell(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
