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
