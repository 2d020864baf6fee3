/**
 * The catalogue CSV import against real PostgreSQL through the console's API: upload in chunks,
 * the dry run's list of bad rows, apply all-or-nothing, changes reaching a register's change feed,
 * the audit trail, and who may import at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv, type CsvCell } from '../../../src/shared/csv';
import { validateCsv } from '../../../cloud/domain/catalogue-import';
import { chunkText, type ImportError, type ImportRecord, type ImportTask } from '../../../cloud/hq/contract';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let register: EnrolledRegister;

const HEADER: CsvCell[] = ['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd'];

function productRows(count: number, price = (i: number) => 1000 + i): CsvCell[][] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return [
      `IMP-${String(i).padStart(6, '0')}`,
      `匯入貨品 ${i}`,
      `Imported item ${i}`,
      `C${i % 30}`,
      1,
      `690${String(i).padStart(10, '0')}`,
      { cents: price(i) },
    ];
  });
}

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool);
  register = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  await addUser(database().pool, shop.merchantId, 'owner@import.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'hq@import.hk', 'hq_manager');
  await addUser(database().pool, shop.merchantId, 'mk@import.hk', 'store_manager', [shop.stores[0]!.id]);
  await addUser(database().pool, shop.merchantId, 'viewer@import.hk', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

/** Waits for the import's background task, bounded (the machine may be slow; the bound only stops a hang). */
async function settle(client: HqClient, id: number): Promise<{ import: ImportRecord; task: ImportTask }> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const answer = await client.request('GET', `/hq/api/imports/${id}`);
    expect(answer.status).toBe(200);
    const body = answer.body as { import: ImportRecord; task: ImportTask };
    if (body.task?.finished) return body;
    if (Date.now() > deadline) throw new Error(`import ${id} did not finish: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function upload(client: HqClient, csv: string, fileName = 'products.csv'): Promise<number> {
  const created = await client.request('POST', '/hq/api/imports', { fileName });
  expect(created.status).toBe(200);
  const id = (created.body.import as ImportRecord).id;
  const chunks = chunkText(csv, 50_000);
  for (const [seq, text] of chunks.entries()) {
    const answer = await client.request('POST', `/hq/api/imports/${id}/chunks`, { seq, text });
    expect(answer.status).toBe(200);
  }
  return id;
}

async function check(client: HqClient, id: number) {
  expect((await client.request('POST', `/hq/api/imports/${id}/check`)).status).toBe(202);
  return settle(client, id);
}

/** Every change after `since`, pulled page by page as a register does. */
async function feedSince(since: number) {
  const all: { version: number; entity: string; data: Record<string, unknown> }[] = [];
  for (let cursor = since; ; ) {
    const page = await call<{ changes: typeof all; nextSince: number; hasMore: boolean }>(
      server.base,
      'GET',
      `/v1/changes?since=${cursor}&limit=1000`,
      { token: register.token },
    );
    expect(page.status).toBe(200);
    all.push(...page.body.changes);
    if (!page.body.hasMore) return all;
    cursor = page.body.nextSince;
  }
}

async function lastVersion(): Promise<number> {
  return (
    await database().pool.query<{ v: number }>('SELECT last_version AS v FROM change_counter WHERE merchant_id = $1', [shop.merchantId])
  ).rows[0]!.v;
}

describe('reading a catalogue CSV', () => {
  it('names every bad row with its spreadsheet row number, column and reason in both languages', () => {
    const csv = toCsv([
      HEADER,
      ['A1', '奶茶', 'Milk tea', 'DRINK', 1, '4891234000012', { cents: 1800 }],
      ['', '無貨號', 'No SKU', '', 1, '', ''],
      ['A1', '重複', 'Duplicate', '', 1, '', ''],
      ['A2', '價錢', 'Price', '', 'yes', '4.89123E+12', 'abc'],
      ['A3', '條碼', 'Barcode', '', 0, '4891234000012 bad*code', '12.345'],
      ['A4', '', 'x'.repeat(201), '', 1, '', ''],
      ['A5', 'short row'],
    ]);
    const { rows, errors } = validateCsv(csv);
    expect(rows.map((r) => r.sku)).toEqual(['A1']);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'sku', 'REQUIRED'],
      [4, 'sku', 'DUPLICATE_SKU'],
      [5, 'active', 'BAD_ACTIVE'],
      [5, 'barcodes', 'EXCEL_NUMBER'],
      [5, 'price_hkd', 'BAD_PRICE'],
      [6, 'barcodes', 'DUPLICATE_BARCODE'],
      [6, 'barcodes', 'BAD_BARCODE'],
      [6, 'price_hkd', 'BAD_PRICE'],
      [7, 'name_zh', 'REQUIRED'],
      [7, 'name_en', 'TOO_LONG'],
      [8, '', 'CELL_COUNT'],
    ]);
    expect(errors[1]).toMatchObject({ zh: '貨號 A1 與第 2 行重複', en: 'SKU A1 is also on row 2' });
  });

  it('refuses a file whose header is not the export’s columns, naming them', () => {
    const { errors } = validateCsv('\uFEFFsku,name,price_hkd\r\nA1,x,1\r\n');
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, 'name_zh', 'COLUMN_MISSING'],
      [1, 'name_en', 'COLUMN_MISSING'],
      [1, 'category', 'COLUMN_MISSING'],
      [1, 'active', 'COLUMN_MISSING'],
      [1, 'barcodes', 'COLUMN_MISSING'],
      [1, 'name', 'COLUMN_UNKNOWN'],
    ]);
    expect(validateCsv('').errors[0]).toMatchObject({ code: 'FILE_EMPTY' });
    expect(validateCsv('sku,name_zh,name_en,category,active,barcodes,price_hkd\r\n"A1,x\r\n').errors[0]).toMatchObject({
      row: 2,
      code: 'CSV_SYNTAX',
    });
  });

  it('reads back what the export wrote: quoted commas, line breaks, and formula-defused cells', () => {
    const csv = toCsv([HEADER, ['-X1', '=奶茶, 凍', 'Tea\n"iced"', '', 1, '', { cents: 0 }]]);
    expect(validateCsv(csv).rows).toEqual([
      {
        row: 2,
        sku: '-X1',
        nameZh: '=奶茶, 凍',
        nameEn: 'Tea\n"iced"',
        categoryCode: null,
        active: true,
        barcodes: [],
        price: 0,
        parentSku: null,
        optionZh: '',
        optionEn: '',
      },
    ]);
  });
});

describe('importing through the console', () => {
  it('a dry run lists the one bad row, the apply is refused, and nothing reaches the catalogue', async () => {
    const owner = await as('owner@import.hk');
    const rows = productRows(3_000);
    rows[1_233]![6] = 'twelve dollars';
    const before = await lastVersion();
    const id = await upload(owner, toCsv([HEADER, ...rows]));
    const checked = await check(owner, id);
    expect(checked.task.error).toBeNull();
    expect(checked.import).toMatchObject({ status: 'checked', rowCount: 3_000, errorCount: 1 });
    const errors = (await owner.request('GET', `/hq/api/imports/${id}/errors`)).body as { errors: ImportError[]; total: number };
    expect(errors).toMatchObject({
      total: 1,
      errors: [
        {
          row: 1_235,
          column: 'price_hkd',
          code: 'BAD_PRICE',
          zh: '售價「twelve dollars」不是金額，例如 18.50',
          en: 'The price "twelve dollars" is not an amount, e.g. 18.50',
        },
      ],
    });
    const errorCsv = await owner.request('GET', `/hq/api/imports/${id}/errors.csv`);
    expect(errorCsv.body.text).toContain('1235,price_hkd,BAD_PRICE');
    const apply = await owner.request('POST', `/hq/api/imports/${id}/apply`);
    expect(apply).toMatchObject({ status: 409, body: { error: 'CONFLICT' } });
    const count = await database().pool.query("SELECT count(*)::int AS n FROM product WHERE sku LIKE 'IMP-%'");
    expect(count.rows[0]).toEqual({ n: 0 });
    expect(await lastVersion()).toBe(before);
  });

  it('a clean file applies in one go: products, barcodes, prices, and their changes in the register’s feed, audited', async () => {
    const manager = await as('hq@import.hk');
    const before = await lastVersion();
    // P1 (from the shop) changes price and takes over barcode of P2, which is not in the file.
    const rows = [
      ...productRows(3_000),
      ['P1', '產品1', 'Product 1', '', 1, '4890000000001 4890000000002', { cents: 1250 }],
    ] satisfies CsvCell[][];
    const id = await upload(manager, toCsv([HEADER, ...rows]), '新貨品.csv');
    const checked = await check(manager, id);
    expect(checked.import).toMatchObject({
      errorCount: 0,
      summary: { rows: 3_001, added: 3_000, changed: 1, prices: 3_001, barcodeLosers: 1 },
    });
    // The dry run changed nothing.
    expect(await lastVersion()).toBe(before);
    expect((await manager.request('POST', `/hq/api/imports/${id}/apply`)).status).toBe(202);
    const applied = await settle(manager, id);
    expect(applied.task.error).toBeNull();
    expect(applied.import.status).toBe('applied');
    expect(applied.import.summary).toMatchObject({ firstVersion: before + 1, lastVersion: before + 3_002 + 3_001 });

    const changes = await feedSince(before);
    expect(changes).toHaveLength(6_003);
    expect(changes.filter((c) => c.entity === 'product').map((c) => c.data.sku)).toContain('P2');
    expect(changes.find((c) => c.entity === 'product' && c.data.sku === 'P2')?.data.barcodes).toEqual([]);
    expect(changes.find((c) => c.entity === 'product' && c.data.sku === 'P1')?.data.barcodes).toEqual(['4890000000001', '4890000000002']);
    expect(changes.find((c) => c.entity === 'price' && c.data.sku === 'P1')?.data).toMatchObject({ price: 1250 });
    expect(changes.find((c) => c.entity === 'product' && c.data.sku === 'IMP-000007')?.data).toEqual({
      sku: 'IMP-000007',
      nameZh: '匯入貨品 7',
      nameEn: 'Imported item 7',
      categoryCode: 'C7',
      taxClass: 'none',
      active: true,
      barcodes: ['6900000000007'],
      parentSku: null,
      optionZh: '',
      optionEn: '',
    });
    // Products before prices, so a register never meets a price for a product it lacks.
    expect(changes.findIndex((c) => c.entity === 'price')).toBe(3_002);

    const search = await manager.request('GET', '/hq/api/products?q=IMP-000007');
    expect((search.body.products as { price: number }[])[0]).toMatchObject({ price: 1007 });
    const audit = await database().pool.query<{ user_email: string; target: string; after: Record<string, unknown> }>(
      "SELECT user_email, target, after FROM hq_audit WHERE action = 'catalogue.import'",
    );
    expect(audit.rows).toEqual([
      { user_email: 'hq@import.hk', target: '新貨品.csv', after: expect.objectContaining({ added: 3_000, prices: 3_001 }) },
    ]);
    // Applying twice is refused.
    expect((await manager.request('POST', `/hq/api/imports/${id}/apply`)).status).toBe(409);
  });

  it('the export read back in changes nothing, and a changed price is the only change', async () => {
    const owner = await as('owner@import.hk');
    const exported = await fetch(`${server.base}/hq/api/products.csv`, { headers: { cookie: owner.cookie! } });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await exported.arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const same = await check(owner, await upload(owner, csv));
    expect(same.import.summary).toMatchObject({ added: 0, changed: 0, prices: 0, barcodeLosers: 0 });
    expect(same.import.errorCount).toBe(0);

    const before = await lastVersion();
    const edited = csv.replace(/^(IMP-000042,[^\r]*),10\.42,(,,)\r$/m, '$1,11.00,$2\r');
    expect(edited).not.toBe(csv);
    const id = await upload(owner, edited);
    expect((await check(owner, id)).import.summary).toMatchObject({ added: 0, changed: 0, prices: 1 });
    await owner.request('POST', `/hq/api/imports/${id}/apply`);
    expect((await settle(owner, id)).import.status).toBe('applied');
    expect((await feedSince(before)).map((c) => [c.entity, c.data.sku, c.data.price])).toEqual([['price', 'IMP-000042', 1100]]);
  });

  it('a failure part-way through the apply leaves nothing applied', async () => {
    const owner = await as('owner@import.hk');
    const pool = database().pool;
    // A fault in step 5 (prices), after products and barcodes were already written in the transaction.
    await pool.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.sku = 'BOOM' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await pool.query('CREATE TRIGGER refuse_boom BEFORE INSERT ON price FOR EACH ROW EXECUTE FUNCTION refuse_boom()');
    try {
      const before = await lastVersion();
      const products = (await pool.query('SELECT count(*)::int AS n FROM product WHERE merchant_id = $1', [shop.merchantId])).rows[0];
      const rows = [
        ...productRows(500).map((r) => [`NEW-${String(r[0])}`, ...r.slice(1, 5), '', r[6]!]),
        ['BOOM', '爆', 'Boom', '', 1, '', { cents: 1 }],
      ];
      const id = await upload(owner, toCsv([HEADER, ...rows]));
      expect((await check(owner, id)).import.errorCount).toBe(0);
      await owner.request('POST', `/hq/api/imports/${id}/apply`);
      const failed = await settle(owner, id);
      expect(failed.task.error).toEqual({ code: 'INTERNAL', message: 'The import failed on the server; nothing was changed' });
      expect(failed.import.status).toBe('checked');
      expect((await pool.query('SELECT count(*)::int AS n FROM product WHERE merchant_id = $1', [shop.merchantId])).rows[0]).toEqual(
        products,
      );
      expect((await pool.query("SELECT count(*)::int AS n FROM barcode WHERE sku LIKE 'NEW-%'")).rows[0]).toEqual({ n: 0 });
      expect(await lastVersion()).toBe(before);
    } finally {
      await pool.query('DROP TRIGGER refuse_boom ON price');
    }
  });
});

describe('who may import', () => {
  it('a viewer and a store manager are refused at the API on every import route', async () => {
    const owner = await as('owner@import.hk');
    const id = await upload(owner, toCsv([HEADER, ...productRows(3)]));
    for (const email of ['viewer@import.hk', 'mk@import.hk']) {
      const client = await as(email);
      const attempts = [
        await client.request('POST', '/hq/api/imports', { fileName: 'x.csv' }),
        await client.request('POST', `/hq/api/imports/${id}/chunks`, { seq: 1, text: 'X' }),
        await client.request('POST', `/hq/api/imports/${id}/check`),
        await client.request('POST', `/hq/api/imports/${id}/apply`),
        await client.request('GET', `/hq/api/imports/${id}/errors`),
      ];
      for (const answer of attempts) expect(answer).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    }
    const record = (await owner.request('GET', `/hq/api/imports/${id}`)).body.import as ImportRecord;
    expect(record).toMatchObject({ status: 'uploading', chunks: 1 });
  });
});
