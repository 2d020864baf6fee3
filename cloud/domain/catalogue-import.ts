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
import { variantProblem, type VariantCatalogue } from '../../src/shared/product-variants';

export type { ImportError, ImportRecord, ImportSummary };

export const IMPORT_COLUMNS = ['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd'] as const;
/**
 * Variants (issue 16), all three or none: a file without them keeps every product's parent and
 * option label (an older export imports as before); with them, an empty parent_sku means "not a variant".
 */
export const VARIANT_COLUMNS = ['parent_sku', 'option_zh', 'option_en'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number] | (typeof VARIANT_COLUMNS)[number];
const MAX_OPTION = 100;

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
  /** null: not a variant (or, without the variant columns, whatever the product has) */
  parentSku: string | null;
  optionZh: string;
  optionEn: string;
}

/** A file's good rows (in file order), every problem, and whether it has the variant columns. */
export interface ValidatedCsv {
  rows: StagedRow[];
  errors: ImportError[];
  variantColumns: boolean;
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
export function validateCsv(csv: string, onRow?: (rowsRead: number) => void): ValidatedCsv {
  const out: ValidatedCsv = { rows: [], errors: [], variantColumns: false };
  for (const step of validating(csv, out, onRow)) void step;
  return out;
}

/** The same, giving the event loop a turn every few thousand rows: a 200,000-row check must not stall the server's other requests. */
export async function validateCsvYielding(csv: string, onRow?: (rowsRead: number) => void): Promise<ValidatedCsv> {
  const out: ValidatedCsv = { rows: [], errors: [], variantColumns: false };
  for (const step of validating(csv, out, onRow)) {
    void step;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function* validating(csv: string, out: ValidatedCsv, onRow?: (rowsRead: number) => void): Generator<void> {
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
  const variantColumns = VARIANT_COLUMNS.some((c) => header.includes(c));
  out.variantColumns = variantColumns;
  const expected: readonly ImportColumn[] = variantColumns ? [...IMPORT_COLUMNS, ...VARIANT_COLUMNS] : IMPORT_COLUMNS;
  const missing = expected.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(expected as readonly string[]).includes(c));
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  for (const c of missing) errors.push(problem(1, c, 'COLUMN_MISSING', `缺少欄位 ${c}`, `Column ${c} is missing`));
  for (const c of unknown)
    errors.push(problem(1, c, 'COLUMN_UNKNOWN', `不明欄位 ${c}（欄位須與匯出檔相同）`, `Unknown column ${c} (use the export's columns)`));
  for (const c of repeated) errors.push(problem(1, c, 'COLUMN_REPEATED', `欄位 ${c} 重複`, `Column ${c} appears twice`));
  if (errors.length > 0) return;
  const at = Object.fromEntries(expected.map((c) => [c, header.indexOf(c)])) as Record<ImportColumn, number>;

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
      let parentSku: string | null = null;
      let optionZh = '';
      let optionEn = '';
      if (variantColumns) {
        const parent = cell('parent_sku');
        if (parent.length > 64) bad('parent_sku', 'TOO_LONG', '母貨號超過 64 字', 'The parent SKU is longer than 64 characters');
        parentSku = parent === '' ? null : parent;
        optionZh = cell('option_zh');
        optionEn = cell('option_en');
        for (const [column, value] of [
          ['option_zh', optionZh],
          ['option_en', optionEn],
        ] as const) {
          if (value.length > MAX_OPTION)
            bad(column, 'TOO_LONG', `款式名稱超過 ${MAX_OPTION} 字`, `The option label is longer than ${MAX_OPTION} characters`);
          else if (value !== '' && parentSku === null)
            bad(
              column,
              'OPTION_WITHOUT_PARENT',
              '只有款式（填上 parent_sku）才有款式名稱',
              'Only a variant (with a parent_sku) has an option label',
            );
        }
      }
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
          parentSku,
          optionZh,
          optionEn,
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

/**
 * What the catalogue knows about the variants a file names: each named parent that is not in the
 * file (with its own parent), and the stored variants of the file's would-be variants that the file
 * does not move. Nothing is read when the file makes no variants.
 */
export interface StoredVariantLinks {
  parentOf: Map<string, string | null>;
  variantsOf: Set<string>;
}

export async function loadVariantLinks(db: Queryable, merchantId: number, rows: readonly StagedRow[]): Promise<StoredVariantLinks> {
  const links: StoredVariantLinks = { parentOf: new Map(), variantsOf: new Set() };
  const inFile = new Set<string>();
  const named = new Set<string>();
  const variants: string[] = [];
  for (const r of rows) {
    inFile.add(r.sku);
    if (r.parentSku !== null) {
      named.add(r.parentSku);
      variants.push(r.sku);
    }
  }
  if (variants.length === 0) return links;
  const outside = [...named].filter((sku) => !inFile.has(sku));
  if (outside.length > 0) {
    const found = await db.query<{ sku: string; parent_sku: string | null }>(
      'SELECT sku, parent_sku FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[])',
      [merchantId, outside],
    );
    for (const r of found.rows) links.parentOf.set(r.sku, r.parent_sku);
  }
  const children = await db.query<{ sku: string; parent_sku: string }>(
    'SELECT sku, parent_sku FROM product WHERE merchant_id = $1 AND parent_sku = ANY($2::text[])',
    [merchantId, variants],
  );
  for (const r of children.rows) if (!inFile.has(r.sku)) links.variantsOf.add(r.parent_sku);
  return links;
}

/**
 * The file's variants against the rule (src/shared/product-variants.ts), as the catalogue will be
 * once the file is applied: a parent in neither, a cycle, a parent that is a variant, a variant
 * that has variants. One problem per row, in the parent_sku column.
 */
export function variantErrors(rows: readonly StagedRow[], stored: StoredVariantLinks): ImportError[] {
  const fileParent = new Map<string, string | null>();
  const fileParents = new Set<string>();
  for (const r of rows) {
    fileParent.set(r.sku, r.parentSku);
    if (r.parentSku !== null) fileParents.add(r.parentSku);
  }
  const catalogue: VariantCatalogue = {
    parentOf: (sku) => (fileParent.has(sku) ? fileParent.get(sku) : stored.parentOf.get(sku)),
    hasVariants: (sku) => fileParents.has(sku) || stored.variantsOf.has(sku),
  };
  const errors: ImportError[] = [];
  for (const r of rows) {
    if (r.parentSku === null) continue;
    const found = variantProblem(r.sku, r.parentSku, catalogue);
    if (found) errors.push(problem(r.row, 'parent_sku', found.code, found.zh, found.en));
  }
  return errors;
}

/** Stages rows with multi-row UNNEST inserts (pg-copy-streams is not a dependency, so no COPY). */
export async function stageRows(
  client: Queryable,
  importId: number,
  rows: StagedRow[],
  onBatch?: (done: number) => void,
  variantColumns = false,
): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const batch = rows.slice(i, i + STAGE_BATCH);
    if (variantColumns) {
      await client.query(
        `INSERT INTO catalogue_import_row (import_id, row_no, sku, name_zh, name_en, category_code, active, barcodes, price, parent_sku, option_zh, option_en)
         SELECT $1, t.row_no, t.sku, t.name_zh, t.name_en, t.category_code, t.active,
                CASE WHEN t.barcodes = '' THEN '{}'::text[] ELSE string_to_array(t.barcodes, ' ') END, t.price, t.parent_sku, t.option_zh, t.option_en
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[])
           AS t(row_no, sku, name_zh, name_en, category_code, active, barcodes, price, parent_sku, option_zh, option_en)`,
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
          batch.map((r) => r.parentSku),
          batch.map((r) => r.optionZh),
          batch.map((r) => r.optionEn),
        ],
      );
      onBatch?.(Math.min(rows.length, i + STAGE_BATCH));
      continue;
    }
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
  SELECT r.sku, r.name_zh, r.name_en, r.category_code, r.active, r.barcodes, r.price, w.parent_sku, w.option_zh, w.option_en,
         p.sku IS NULL AS is_new,
         (p.sku IS NULL OR (p.name_zh, p.name_en, p.category_code, p.active, p.parent_sku, p.option_zh, p.option_en)
            IS DISTINCT FROM (r.name_zh, r.name_en, r.category_code, r.active, w.parent_sku, w.option_zh, w.option_en)) AS fields_changed,
         NOT (coalesce(b.codes, '{}') @> r.barcodes AND r.barcodes @> coalesce(b.codes, '{}')) AS barcodes_changed,
         (r.price IS NOT NULL AND r.price IS DISTINCT FROM cp.price) AS price_changed
  FROM catalogue_import_row r
  LEFT JOIN product p ON p.merchant_id = $2 AND p.sku = r.sku
  CROSS JOIN LATERAL (SELECT CASE WHEN $4 THEN r.parent_sku ELSE p.parent_sku END AS parent_sku,
                             CASE WHEN $4 THEN r.option_zh ELSE coalesce(p.option_zh, '') END AS option_zh,
                             CASE WHEN $4 THEN r.option_en ELSE coalesce(p.option_en, '') END AS option_en) w
  LEFT JOIN LATERAL (SELECT array_agg(bc.code) AS codes FROM barcode bc WHERE bc.merchant_id = $2 AND bc.sku = r.sku) b ON true
  LEFT JOIN LATERAL (SELECT pr.price FROM price pr WHERE pr.merchant_id = $2 AND pr.sku = r.sku AND pr.valid_from <= $3
                     ORDER BY pr.valid_from DESC LIMIT 1) cp ON true
  WHERE r.import_id = $1`;

async function createDiff(
  client: Queryable,
  importId: number,
  merchantId: number,
  now: number,
  variantColumns: boolean,
): Promise<ImportSummary> {
  await client.query('DROP TABLE IF EXISTS import_diff');
  await client.query(`CREATE TEMP TABLE import_diff ON COMMIT DROP AS ${DIFF_SQL}`, [importId, merchantId, new Date(now), variantColumns]);
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
  const validated = await validateCsvYielding(csv, (read) => progress(Math.min(read, estimate), total));
  const { errors, variantColumns } = validated;
  let rows = validated.rows;
  // the variants against each other and the catalogue: only good rows, only when the file makes variants
  if (variantColumns) {
    const bad = variantErrors(rows, await loadVariantLinks(pool, merchantId, rows));
    if (bad.length > 0) {
      const badRows = new Set(bad.map((e) => e.row));
      rows = rows.filter((r) => !badRows.has(r.row));
      errors.push(...bad);
      errors.sort((a, b) => a.row - b.row);
    }
  }
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
      await stageRows(
        client,
        importId,
        rows,
        (done) => progress(estimate + (done * estimate) / Math.max(1, rows.length), total),
        variantColumns,
      );
    await recordErrors(client, importId, errors);
    // 3. what applying would do
    const summary =
      errors.length === 0
        ? await createDiff(client, importId, merchantId, now, variantColumns)
        : ({ rows: rows.length, added: 0, changed: 0, unchanged: 0, prices: 0, barcodeLosers: 0 } as ImportSummary);
    const dataRows = rows.length + new Set(errors.filter((e) => e.row > 1).map((e) => e.row)).size;
    const row = (
      await client.query<ImportRow>(
        `UPDATE catalogue_import SET status = 'checked', row_count = $2, error_count = $3, summary = $4::jsonb, checked_at = $5, variant_columns = $6
         WHERE id = $1 RETURNING ${IMPORT_FIELDS}`,
        [importId, dataRows, errors.length, JSON.stringify(summary), new Date(now), variantColumns],
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
    const variantColumns = (
      await client.query<{ variant_columns: boolean }>('SELECT variant_columns FROM catalogue_import WHERE id = $1', [importId])
    ).rows[0]!.variant_columns;
    progress(1, steps);
    // 2. the diff against the catalogue as it is inside this transaction (it may have changed since the check)
    const summary = await createDiff(client, importId, merchantId, now, variantColumns);
    progress(2, steps);
    // 3. products: new ones, and existing ones whose fields or barcodes change (tax class kept). The
    //    variant rule is checked by the database at the end of this one statement (migration 0018):
    //    a catalogue changed since the check into one that breaks it refuses the whole apply.
    try {
      await client.query(
        `INSERT INTO product (merchant_id, sku, name_zh, name_en, category_code, tax_class, active, updated_at, parent_sku, option_zh, option_en)
         SELECT $1, sku, name_zh, name_en, category_code, 'none', active, $2, parent_sku, option_zh, option_en
         FROM import_diff WHERE fields_changed OR barcodes_changed
         ON CONFLICT (merchant_id, sku) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
           category_code = EXCLUDED.category_code, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at,
           parent_sku = EXCLUDED.parent_sku, option_zh = EXCLUDED.option_zh, option_en = EXCLUDED.option_en`,
        [merchantId, new Date(now)],
      );
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (constraint === 'product_variant_one_level' || constraint === 'product_parent')
        throw new CloudError('CONFLICT', `The catalogue's variants changed since import ${importId} was checked: check it again`);
      throw error;
    }
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
      `SELECT 'product' AS entity, 'upsert' AS op, CASE WHEN p.parent_sku IS NULL THEN 0 ELSE 1 END AS part, p.sku AS sort_key,
              jsonb_build_object('sku', p.sku, 'nameZh', p.name_zh, 'nameEn', p.name_en, 'categoryCode', p.category_code,
                'taxClass', p.tax_class, 'active', p.active,
                'barcodes', coalesce((SELECT jsonb_agg(b.code ORDER BY b.code) FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.sku = p.sku), '[]'::jsonb),
                'parentSku', p.parent_sku, 'optionZh', p.option_zh, 'optionEn', p.option_en) AS data
       FROM product p
       WHERE p.merchant_id = $1 AND (p.sku IN (SELECT sku FROM import_diff WHERE fields_changed OR barcodes_changed) OR p.sku IN (SELECT sku FROM import_loser))
       UNION ALL
       SELECT 'price', 'upsert', 2, d.sku, jsonb_build_object('sku', d.sku, 'price', d.price, 'validFrom', $2::bigint)
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
