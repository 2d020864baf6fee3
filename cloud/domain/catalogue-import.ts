/**
 * The catalogue CSV import: the same seven columns as the export (GET /hq/api/products.csv), so a
 * merchant exports, edits in Excel and imports. Three steps, each its own call:
 *
 * 1. upload: the file's text in chunks (a 200,000-row file is ~20 MB; a request carries at most 1 MB);
 * 2. check (the dry run): every row parsed and validated; bad rows recorded with row number, column
 *    and reason in both languages; good rows staged in catalogue_import_row; what applying would do
 *    counted against the current catalogue;
 * 3. apply: refused unless the check found no bad row; then ONE transaction writes products,
 *    barcodes and prices set-based from the staged rows and appends their changes to the change log
 *    registers pull (change-log.ts, the one path to registers). A failure anywhere rolls all of it back.
 */
import { readCsv, undefuseCell, CsvSyntaxError } from '../../src/shared/csv';
import { parseCents } from '../../src/shared/money';
import { CloudError } from '../errors';
import type { Pool, Queryable, PoolClient } from '../db/pool';
import { withTransaction } from '../db/tx';
import type { ImportError, ImportRecord, ImportSummary } from '../hq/contract';
import { appendChangesFrom } from './change-log';

export type { ImportError, ImportRecord, ImportSummary };

export const IMPORT_COLUMNS = ['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** At most this many data rows per file, and this many characters (a request carries one chunk). */
export const MAX_IMPORT_ROWS = 250_000;
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;
export const MAX_CHUNK_CHARS = 256 * 1024;
const MAX_BARCODES = 20;
const STAGE_BATCH = 5_000;

export interface Progress {
  (done: number, total: number): void;
}

interface ImportRow {
  id: number;
  file_name: string;
  status: ImportRecord['status'];
  chars: number;
  chunks: number;
  row_count: number | null;
  error_count: number | null;
  summary: ImportSummary | null;
  created_at: Date;
  checked_at: Date | null;
  applied_at: Date | null;
}

function recordOf(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    fileName: r.file_name,
    status: r.status,
    chars: r.chars,
    chunks: r.chunks,
    rowCount: r.row_count,
    errorCount: r.error_count,
    summary: r.summary,
    createdAt: r.created_at.getTime(),
    checkedAt: r.checked_at?.getTime() ?? null,
    appliedAt: r.applied_at?.getTime() ?? null,
  };
}

const IMPORT_FIELDS = 'id, file_name, status, chars, chunks, row_count, error_count, summary, created_at, checked_at, applied_at';

export async function findImport(db: Queryable, merchantId: number, importId: number, lock = false): Promise<ImportRecord> {
  const row = (
    await db.query<ImportRow>(
      `SELECT ${IMPORT_FIELDS} FROM catalogue_import WHERE merchant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [merchantId, importId],
    )
  ).rows[0];
  if (!row) throw new CloudError('NOT_FOUND', `No catalogue import ${importId}`);
  return recordOf(row);
}

export async function listImports(db: Queryable, merchantId: number, limit = 20): Promise<ImportRecord[]> {
  return (
    await db.query<ImportRow>(`SELECT ${IMPORT_FIELDS} FROM catalogue_import WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2`, [
      merchantId,
      limit,
    ])
  ).rows.map(recordOf);
}

/** A new upload. Uploads left unapplied for a day lose their chunks and staged rows (their record and errors stay). */
export async function createImport(
  pool: Pool,
  merchantId: number,
  userId: number | null,
  fileName: string,
  now: number,
): Promise<ImportRecord> {
  return withTransaction(pool, async (client) => {
    const stale = (
      await client.query<{ id: number }>(
        `SELECT id FROM catalogue_import WHERE merchant_id = $1 AND status <> 'applied' AND created_at < $2`,
        [merchantId, new Date(now - 86_400_000)],
      )
    ).rows.map((r) => r.id);
    if (stale.length > 0) {
      await client.query('DELETE FROM catalogue_import_chunk WHERE import_id = ANY($1::bigint[])', [stale]);
      await client.query('DELETE FROM catalogue_import_row WHERE import_id = ANY($1::bigint[])', [stale]);
    }
    const row = (
      await client.query<ImportRow>(
        `INSERT INTO catalogue_import (merchant_id, user_id, file_name, status, created_at) VALUES ($1, $2, $3, 'uploading', $4)
         RETURNING ${IMPORT_FIELDS}`,
        [merchantId, userId, fileName.slice(0, 200), new Date(now)],
      )
    ).rows[0] as ImportRow;
    return recordOf(row);
  });
}

/**
 * Chunk `seq` of the file's text (0, 1, 2 … in order). Sending a chunk again (a retried request) is
 * accepted and changes nothing; skipping one is refused.
 */
export async function appendChunk(pool: Pool, merchantId: number, importId: number, seq: number, text: string): Promise<ImportRecord> {
  if (text.includes('\u0000')) throw new CloudError('BAD_REQUEST', 'The file contains NUL characters: it is not a text CSV file');
  return withTransaction(pool, async (client) => {
    const current = await findImport(client, merchantId, importId, true);
    if (current.status !== 'uploading')
      throw new CloudError('CONFLICT', `Import ${importId} is already ${current.status}: start a new upload`);
    if (seq < current.chunks) return current;
    if (seq > current.chunks) throw new CloudError('BAD_REQUEST', `Chunk ${seq} arrived before chunk ${current.chunks}`);
    if (current.chars + text.length > MAX_IMPORT_CHARS) throw new CloudError('PAYLOAD_TOO_LARGE', 'The file is larger than 64 MB');
    await client.query('INSERT INTO catalogue_import_chunk (import_id, seq, text) VALUES ($1, $2, $3)', [importId, seq, text]);
    const row = (
      await client.query<ImportRow>(
        `UPDATE catalogue_import SET chunks = chunks + 1, chars = chars + $2 WHERE id = $1 RETURNING ${IMPORT_FIELDS}`,
        [importId, text.length],
      )
    ).rows[0] as ImportRow;
    return recordOf(row);
  });
}

// Checking ---------------------------------------------------------------------------------------

function problem(row: number, column: string, code: string, zh: string, en: string): ImportError {
  return { row, column, code, zh, en };
}

export interface StagedRow {
  row: number;
  sku: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string | null;
  active: boolean;
  barcodes: string[];
  price: number | null;
}

const BARCODE = /^[0-9A-Za-z-]{1,64}$/;
/** What Excel makes of a long number typed into a General cell: 4.89123E+12. */
const EXCEL_NUMBER = /^\d(\.\d+)?E\+\d+$/i;

function text(raw: string | undefined): string {
  return undefuseCell((raw ?? '').trim());
}

/**
 * Validates a whole file: the good rows (in file order) and every problem. Pure: the unit tests and
 * the bench call it as the import does.
 */
export function validateCsv(csv: string, onRow?: (rowsRead: number) => void): { rows: StagedRow[]; errors: ImportError[] } {
  const out = { rows: [] as StagedRow[], errors: [] as ImportError[] };
  for (const step of validating(csv, out, onRow)) void step;
  return out;
}

/** The same, giving the event loop a turn every few thousand rows: a 200,000-row check must not stall the server's other requests. */
export async function validateCsvYielding(
  csv: string,
  onRow?: (rowsRead: number) => void,
): Promise<{ rows: StagedRow[]; errors: ImportError[] }> {
  const out = { rows: [] as StagedRow[], errors: [] as ImportError[] };
  for (const step of validating(csv, out, onRow)) {
    void step;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function* validating(csv: string, out: { rows: StagedRow[]; errors: ImportError[] }, onRow?: (rowsRead: number) => void): Generator<void> {
  const { rows, errors } = out;
  const records = readCsv(csv);
  let header: string[];
  try {
    const first = records.next();
    if (first.done) {
      errors.push(problem(0, '', 'FILE_EMPTY', '檔案沒有資料', 'The file is empty'));
      return;
    }
    header = first.value.cells.map((c) => c.trim().toLowerCase());
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    errors.push(problem(error.row, '', 'CSV_SYNTAX', '引號未有關閉', 'A quoted cell is never closed'));
    return;
  }
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  for (const c of missing) errors.push(problem(1, c, 'COLUMN_MISSING', `缺少欄位 ${c}`, `Column ${c} is missing`));
  for (const c of unknown)
    errors.push(problem(1, c, 'COLUMN_UNKNOWN', `不明欄位 ${c}（欄位須與匯出檔相同）`, `Unknown column ${c} (use the export's columns)`));
  for (const c of repeated) errors.push(problem(1, c, 'COLUMN_REPEATED', `欄位 ${c} 重複`, `Column ${c} appears twice`));
  if (errors.length > 0) return;
  const at = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<ImportColumn, number>;

  const skuRow = new Map<string, number>();
  const barcodeRow = new Map<string, number>();
  let dataRows = 0;
  try {
    for (const { row, cells } of records) {
      dataRows += 1;
      if (dataRows % 5_000 === 0) {
        onRow?.(dataRows);
        yield;
      }
      if (dataRows > MAX_IMPORT_ROWS) {
        errors.push(
          problem(row, '', 'TOO_MANY_ROWS', `超過 ${MAX_IMPORT_ROWS} 行，請分開匯入`, `More than ${MAX_IMPORT_ROWS} rows: split the file`),
        );
        break;
      }
      const before = errors.length;
      const bad = (column: string, code: string, zh: string, en: string) => errors.push(problem(row, column, code, zh, en));
      if (cells.length !== header.length) {
        bad(
          '',
          'CELL_COUNT',
          `此行有 ${cells.length} 格，應有 ${header.length} 格`,
          `This row has ${cells.length} cells, not ${header.length}`,
        );
        continue;
      }
      if (cells.some((c) => c.includes('\uFFFD'))) {
        bad('', 'NOT_UTF8', '含有無法讀取的字元，請以「CSV UTF-8」格式儲存', 'Has characters that are not UTF-8: save as "CSV UTF-8"');
        continue;
      }
      const cell = (c: ImportColumn) => text(cells[at[c]]);
      const sku = cell('sku');
      if (sku === '') bad('sku', 'REQUIRED', '貨號不可留空', 'The SKU is empty');
      else if (sku.length > 64) bad('sku', 'TOO_LONG', '貨號超過 64 字', 'The SKU is longer than 64 characters');
      else {
        const first = skuRow.get(sku);
        if (first !== undefined) bad('sku', 'DUPLICATE_SKU', `貨號 ${sku} 與第 ${first} 行重複`, `SKU ${sku} is also on row ${first}`);
        else skuRow.set(sku, row);
      }
      const names: [ImportColumn, string, string][] = [
        ['name_zh', '中文名稱', 'The Chinese name'],
        ['name_en', '英文名稱', 'The English name'],
      ];
      for (const [column, zh, en] of names) {
        const value = cell(column);
        if (value === '') bad(column, 'REQUIRED', `${zh}不可留空`, `${en} is empty`);
        else if (value.length > 200) bad(column, 'TOO_LONG', `${zh}超過 200 字`, `${en} is longer than 200 characters`);
      }
      const category = cell('category');
      if (category.length > 64) bad('category', 'TOO_LONG', '類別代號超過 64 字', 'The category code is longer than 64 characters');
      const activeText = cell('active').toLowerCase();
      const active =
        activeText === '' || activeText === '1' || activeText === 'true'
          ? true
          : activeText === '0' || activeText === 'false'
            ? false
            : null;
      if (active === null) bad('active', 'BAD_ACTIVE', 'active 只可填 1（發售）或 0（停售）', 'active must be 1 (on sale) or 0 (off sale)');
      const codes = [...new Set(cell('barcodes').split(/\s+/).filter(Boolean))].sort();
      if (codes.length > MAX_BARCODES)
        bad('barcodes', 'TOO_MANY_BARCODES', `條碼多於 ${MAX_BARCODES} 個`, `More than ${MAX_BARCODES} barcodes`);
      for (const code of codes) {
        if (EXCEL_NUMBER.test(code)) {
          bad(
            'barcodes',
            'EXCEL_NUMBER',
            `條碼 ${code} 已被 Excel 變成數字，請將該欄設為「文字」再輸入`,
            `Barcode ${code} was turned into a number by Excel: format the column as Text`,
          );
        } else if (!BARCODE.test(code)) {
          bad('barcodes', 'BAD_BARCODE', `條碼 ${code} 只可用英文字母、數字及 -`, `Barcode ${code} may only have letters, digits and -`);
        } else {
          const first = barcodeRow.get(code);
          if (first !== undefined)
            bad('barcodes', 'DUPLICATE_BARCODE', `條碼 ${code} 已用於第 ${first} 行`, `Barcode ${code} is also on row ${first}`);
          else barcodeRow.set(code, row);
        }
      }
      const priceText = cell('price_hkd');
      const price = priceText === '' ? null : parseCents(priceText);
      if (priceText !== '' && price === null)
        bad(
          'price_hkd',
          'BAD_PRICE',
          `售價「${priceText.slice(0, 20)}」不是金額，例如 18.50`,
          `The price "${priceText.slice(0, 20)}" is not an amount, e.g. 18.50`,
        );
      if (errors.length === before) {
        rows.push({
          row,
          sku,
          nameZh: cell('name_zh'),
          nameEn: cell('name_en'),
          categoryCode: category === '' ? null : category,
          active: active as boolean,
          barcodes: codes,
          price,
        });
      }
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    errors.push(
      problem(error.row, '', 'CSV_SYNTAX', `第 ${error.row} 行起的引號未有關閉`, `A quoted cell from row ${error.row} is never closed`),
    );
  }
  if (dataRows === 0 && errors.length === 0)
    errors.push(problem(0, '', 'FILE_EMPTY', '檔案只有標題，沒有貨品', 'The file has a header but no products'));
}

/** Stages rows with multi-row UNNEST inserts (pg-copy-streams is not a dependency, so no COPY). */
export async function stageRows(client: Queryable, importId: number, rows: StagedRow[], onBatch?: (done: number) => void): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const batch = rows.slice(i, i + STAGE_BATCH);
    await client.query(
      `INSERT INTO catalogue_import_row (import_id, row_no, sku, name_zh, name_en, category_code, active, barcodes, price)
       SELECT $1, t.row_no, t.sku, t.name_zh, t.name_en, t.category_code, t.active,
              CASE WHEN t.barcodes = '' THEN '{}'::text[] ELSE string_to_array(t.barcodes, ' ') END, t.price
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::text[], $9::bigint[])
         AS t(row_no, sku, name_zh, name_en, category_code, active, barcodes, price)`,
      [
        importId,
        batch.map((r) => r.row),
        batch.map((r) => r.sku),
        batch.map((r) => r.nameZh),
        batch.map((r) => r.nameEn),
        batch.map((r) => r.categoryCode),
        batch.map((r) => r.active),
        batch.map((r) => r.barcodes.join(' ')),
        batch.map((r) => r.price),
      ],
    );
    onBatch?.(Math.min(rows.length, i + STAGE_BATCH));
  }
}

async function recordErrors(client: Queryable, importId: number, errors: ImportError[]): Promise<void> {
  for (let i = 0; i < errors.length; i += STAGE_BATCH) {
    const batch = errors.slice(i, i + STAGE_BATCH);
    await client.query(
      `INSERT INTO catalogue_import_error (import_id, row_no, column_name, code, message_zh, message_en)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        importId,
        batch.map((e) => e.row),
        batch.map((e) => e.column),
        batch.map((e) => e.code),
        batch.map((e) => e.zh),
        batch.map((e) => e.en),
      ],
    );
  }
}

/**
 * Each staged row against the catalogue as it is now: new, changed (fields or barcode set), price
 * changed. Barcode sets are compared as sets (@> both ways), never as ordered arrays: JavaScript's
 * sort and the database's collation may order them differently.
 */
const DIFF_SQL = `
  SELECT r.sku, r.name_zh, r.name_en, r.category_code, r.active, r.barcodes, r.price,
         p.sku IS NULL AS is_new,
         (p.sku IS NULL OR (p.name_zh, p.name_en, p.category_code, p.active) IS DISTINCT FROM (r.name_zh, r.name_en, r.category_code, r.active)) AS fields_changed,
         NOT (coalesce(b.codes, '{}') @> r.barcodes AND r.barcodes @> coalesce(b.codes, '{}')) AS barcodes_changed,
         (r.price IS NOT NULL AND r.price IS DISTINCT FROM cp.price) AS price_changed
  FROM catalogue_import_row r
  LEFT JOIN product p ON p.merchant_id = $2 AND p.sku = r.sku
  LEFT JOIN LATERAL (SELECT array_agg(bc.code) AS codes FROM barcode bc WHERE bc.merchant_id = $2 AND bc.sku = r.sku) b ON true
  LEFT JOIN LATERAL (SELECT pr.price FROM price pr WHERE pr.merchant_id = $2 AND pr.sku = r.sku AND pr.valid_from <= $3
                     ORDER BY pr.valid_from DESC LIMIT 1) cp ON true
  WHERE r.import_id = $1`;

async function createDiff(client: Queryable, importId: number, merchantId: number, now: number): Promise<ImportSummary> {
  await client.query('DROP TABLE IF EXISTS import_diff');
  await client.query(`CREATE TEMP TABLE import_diff ON COMMIT DROP AS ${DIFF_SQL}`, [importId, merchantId, new Date(now)]);
  await client.query('DROP TABLE IF EXISTS import_loser');
  // Products outside the file holding a barcode the file gives to another product: they lose it.
  await client.query(
    `CREATE TEMP TABLE import_loser ON COMMIT DROP AS
     SELECT DISTINCT b.sku FROM barcode b
     JOIN (SELECT d.sku, unnest(d.barcodes) AS code FROM import_diff d WHERE d.barcodes_changed) n ON b.code = n.code AND b.sku <> n.sku
     WHERE b.merchant_id = $1 AND NOT EXISTS (SELECT 1 FROM import_diff d WHERE d.sku = b.sku)`,
    [merchantId],
  );
  const counts = (
    await client.query<{ rows: number; added: number; changed: number; prices: number; losers: number }>(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE is_new)::int AS added,
              count(*) FILTER (WHERE NOT is_new AND (fields_changed OR barcodes_changed))::int AS changed,
              count(*) FILTER (WHERE price_changed)::int AS prices,
              (SELECT count(*) FROM import_loser)::int AS losers
       FROM import_diff`,
    )
  ).rows[0]!;
  return {
    rows: counts.rows,
    added: counts.added,
    changed: counts.changed,
    unchanged: counts.rows - counts.added - counts.changed,
    prices: counts.prices,
    barcodeLosers: counts.losers,
  };
}

/** The dry run: parse, validate, stage, count what applying would do. Nothing in the catalogue changes. */
export async function checkImport(
  pool: Pool,
  merchantId: number,
  importId: number,
  now: number,
  progress: Progress = () => {},
): Promise<ImportRecord> {
  const record = await findImport(pool, merchantId, importId);
  if (record.status === 'applied') throw new CloudError('CONFLICT', `Import ${importId} is already applied`);
  if (record.chunks === 0) throw new CloudError('BAD_REQUEST', 'Nothing was uploaded');
  const chunks = (
    await pool.query<{ text: string }>('SELECT text FROM catalogue_import_chunk WHERE import_id = $1 ORDER BY seq', [importId])
  ).rows;
  const csv = chunks.map((c) => c.text).join('');
  let estimate = 0;
  for (let i = csv.indexOf('\n'); i !== -1; i = csv.indexOf('\n', i + 1)) estimate += 1;
  // Half the bar is reading, half is staging.
  const total = Math.max(1, estimate) * 2;
  const { rows, errors } = await validateCsvYielding(csv, (read) => progress(Math.min(read, estimate), total));
  progress(estimate, total);
  return withTransaction(pool, async (client) => {
    // 1. the import row, locked: a second check or an apply of it waits for this one
    const current = await findImport(client, merchantId, importId, true);
    if (current.status === 'applied') throw new CloudError('CONFLICT', `Import ${importId} is already applied`);
    // 2. a fresh staging of the rows and the problems
    await client.query('DELETE FROM catalogue_import_row WHERE import_id = $1', [importId]);
    await client.query('DELETE FROM catalogue_import_error WHERE import_id = $1', [importId]);
    await client.query("SET LOCAL statement_timeout = '300s'");
    if (errors.length === 0)
      await stageRows(client, importId, rows, (done) => progress(estimate + (done * estimate) / Math.max(1, rows.length), total));
    await recordErrors(client, importId, errors);
    // 3. what applying would do
    const summary =
      errors.length === 0
        ? await createDiff(client, importId, merchantId, now)
        : ({ rows: rows.length, added: 0, changed: 0, unchanged: 0, prices: 0, barcodeLosers: 0 } as ImportSummary);
    const dataRows = rows.length + new Set(errors.filter((e) => e.row > 1).map((e) => e.row)).size;
    const row = (
      await client.query<ImportRow>(
        `UPDATE catalogue_import SET status = 'checked', row_count = $2, error_count = $3, summary = $4::jsonb, checked_at = $5
         WHERE id = $1 RETURNING ${IMPORT_FIELDS}`,
        [importId, dataRows, errors.length, JSON.stringify(summary), new Date(now)],
      )
    ).rows[0] as ImportRow;
    progress(total, total);
    return recordOf(row);
  });
}

export async function listImportErrors(
  db: Queryable,
  merchantId: number,
  importId: number,
  options: { offset?: number; limit?: number } = {},
): Promise<ImportError[]> {
  await findImport(db, merchantId, importId);
  return (
    await db.query<{ row_no: number; column_name: string; code: string; message_zh: string; message_en: string }>(
      `SELECT row_no, column_name, code, message_zh, message_en FROM catalogue_import_error WHERE import_id = $1
       ORDER BY row_no, ctid OFFSET $2 LIMIT $3`,
      [importId, options.offset ?? 0, options.limit ?? 1_000_000],
    )
  ).rows.map((r) => ({ row: r.row_no, column: r.column_name, code: r.code, zh: r.message_zh, en: r.message_en }));
}

/**
 * Applies a checked import with no bad rows, all of it in one transaction or nothing. `inTransaction`
 * runs last inside it (the console's audit entry commits with the change).
 */
export async function applyImport(
  pool: Pool,
  merchantId: number,
  importId: number,
  now: number,
  options: { progress?: Progress; inTransaction?: (client: PoolClient, summary: ImportSummary) => Promise<void> } = {},
): Promise<ImportRecord> {
  const progress = options.progress ?? (() => {});
  const steps = 7;
  return withTransaction(pool, async (client) => {
    await client.query("SET LOCAL statement_timeout = '600s'");
    // 1. the import, locked; only a clean check may be applied, and only once
    const record = await findImport(client, merchantId, importId, true);
    if (record.status === 'applied') throw new CloudError('CONFLICT', `Import ${importId} is already applied`);
    if (record.status !== 'checked') throw new CloudError('CONFLICT', `Import ${importId} has not been checked yet`);
    if ((record.errorCount ?? 0) > 0)
      throw new CloudError('CONFLICT', `Import ${importId} has ${record.errorCount} bad rows: correct the file and upload it again`);
    const staged = (
      await client.query<{ n: number }>('SELECT count(*)::int AS n FROM catalogue_import_row WHERE import_id = $1', [importId])
    ).rows[0]!.n;
    if (staged !== record.rowCount) throw new CloudError('CONFLICT', `Import ${importId} must be checked again (its staged rows are gone)`);
    progress(1, steps);
    // 2. the diff against the catalogue as it is inside this transaction (it may have changed since the check)
    const summary = await createDiff(client, importId, merchantId, now);
    progress(2, steps);
    // 3. products: new ones, and existing ones whose fields or barcodes change (tax class kept)
    await client.query(
      `INSERT INTO product (merchant_id, sku, name_zh, name_en, category_code, tax_class, active, updated_at)
       SELECT $1, sku, name_zh, name_en, category_code, 'none', active, $2 FROM import_diff WHERE fields_changed OR barcodes_changed
       ON CONFLICT (merchant_id, sku) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
         category_code = EXCLUDED.category_code, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at`,
      [merchantId, new Date(now)],
    );
    progress(3, steps);
    // 4. barcodes: each changed product's set replaces its old one and takes its codes from any other product
    await client.query(
      `DELETE FROM barcode WHERE merchant_id = $1 AND (sku IN (SELECT sku FROM import_diff WHERE barcodes_changed)
         OR code IN (SELECT unnest(barcodes) FROM import_diff WHERE barcodes_changed))`,
      [merchantId],
    );
    await client.query(
      `INSERT INTO barcode (merchant_id, code, sku) SELECT $1, unnest(barcodes), sku FROM import_diff WHERE barcodes_changed`,
      [merchantId],
    );
    await client.query(`UPDATE product SET updated_at = $2 WHERE merchant_id = $1 AND sku IN (SELECT sku FROM import_loser)`, [
      merchantId,
      new Date(now),
    ]);
    progress(4, steps);
    // 5. prices that differ from the one in force, from now on
    await client.query(
      `INSERT INTO price (merchant_id, sku, price, valid_from, created_at) SELECT $1, sku, price, $2, $2 FROM import_diff WHERE price_changed
       ON CONFLICT (merchant_id, sku, valid_from) DO UPDATE SET price = EXCLUDED.price, created_at = EXCLUDED.created_at`,
      [merchantId, new Date(now)],
    );
    progress(5, steps);
    // 6. the change log, last: every changed product as registers receive it, then every new price
    const versions = await appendChangesFrom(
      client,
      merchantId,
      `SELECT 'product' AS entity, 'upsert' AS op, 0 AS part, p.sku AS sort_key,
              jsonb_build_object('sku', p.sku, 'nameZh', p.name_zh, 'nameEn', p.name_en, 'categoryCode', p.category_code,
                'taxClass', p.tax_class, 'active', p.active,
                'barcodes', coalesce((SELECT jsonb_agg(b.code ORDER BY b.code) FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.sku = p.sku), '[]'::jsonb)) AS data
       FROM product p
       WHERE p.merchant_id = $1 AND (p.sku IN (SELECT sku FROM import_diff WHERE fields_changed OR barcodes_changed) OR p.sku IN (SELECT sku FROM import_loser))
       UNION ALL
       SELECT 'price', 'upsert', 1, d.sku, jsonb_build_object('sku', d.sku, 'price', d.price, 'validFrom', $2::bigint)
       FROM import_diff d WHERE d.price_changed`,
      [merchantId, now],
      now,
    );
    progress(6, steps);
    // 7. the import is done: its staged rows and chunks go, its record keeps what it did
    const done: ImportSummary = { ...summary, firstVersion: versions.first, lastVersion: versions.last };
    await client.query('DELETE FROM catalogue_import_row WHERE import_id = $1', [importId]);
    await client.query('DELETE FROM catalogue_import_chunk WHERE import_id = $1', [importId]);
    const row = (
      await client.query<ImportRow>(
        `UPDATE catalogue_import SET status = 'applied', summary = $2::jsonb, applied_at = $3 WHERE id = $1 RETURNING ${IMPORT_FIELDS}`,
        [importId, JSON.stringify(done), new Date(now)],
      )
    ).rows[0] as ImportRow;
    await options.inTransaction?.(client, done);
    progress(7, steps);
    return recordOf(row);
  });
}
