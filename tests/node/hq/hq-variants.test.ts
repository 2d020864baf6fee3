/**
 * Products with variants (issue 16) against real PostgreSQL and a real register: head office makes
 * a variant in the console (its own SKU, option label, barcode and price), the rule refuses a chain
 * or a cycle of parents, the catalogue CSV carries parent_sku both ways (its dry run names every bad
 * variant row and applies nothing), and a running register (its own SQLite, the bundled sync
 * worker) pulls the variants through the change feed, offers them under their parent and sells a
 * scanned variant directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import type { Product } from '../../../src/shared/schemas';
import { toCsv, type CsvCell } from '../../../src/shared/csv';
import { withCheckDigit } from '../../../src/shared/barcode';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { chunkText, type ImportError, type ImportRecord, type ImportTask, type ProductRow } from '../../../cloud/hq/contract';
import { call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig } from '../sync/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const rig = useSyncRig();
let hq: Awaited<ReturnType<typeof startHq>>;
let shop: Awaited<ReturnType<typeof createCloudShop>>;
let register: Parameters<typeof call>[0];
let owner: HqClient;

const TEE_M = withCheckDigit('489700000101');
const TEE_L = withCheckDigit('489700000102');
const CAP_RED = withCheckDigit('489700000201');
const HEADER: CsvCell[] = [
  'sku',
  'name_zh',
  'name_en',
  'category',
  'active',
  'barcodes',
  'price_hkd',
  'parent_sku',
  'option_zh',
  'option_en',
];

beforeAll(async () => {
  const pool = rig.database().pool;
  hq = await startHq(pool, { now: () => Date.now() });
  shop = await createCloudShop(pool);
  await addUser(pool, shop.merchantId, 'owner@variants.hk', 'owner');
  await addUser(pool, shop.merchantId, 'viewer@variants.hk', 'viewer');
  await upsertProduct(pool, shop.merchantId, { sku: 'TEE-100', nameZh: '純棉T恤', nameEn: 'Cotton tee', price: 9_900 }, Date.now());
  register = (await rig.openRegister()).register;
  await enrol(register, rig.server.base, await enrolmentCode(pool, shop.store));
  owner = new HqClient(hq.base);
  expect((await owner.login('owner@variants.hk')).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await hq?.close();
});

async function settle(id: number): Promise<{ import: ImportRecord; task: ImportTask }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const body = (await owner.request('GET', `/hq/api/imports/${id}`)).body as { import: ImportRecord; task: ImportTask };
    if (body.task?.finished) return body;
    if (Date.now() > deadline) throw new Error(`import ${id} did not finish: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function uploadAndCheck(rows: CsvCell[][]): Promise<{ id: number; checked: ImportRecord; errors: ImportError[] }> {
  const created = await owner.request('POST', '/hq/api/imports', { fileName: 'variants.csv' });
  const id = (created.body.import as ImportRecord).id;
  for (const [seq, text] of chunkText(toCsv([HEADER, ...rows]), 50_000).entries())
    expect((await owner.request('POST', `/hq/api/imports/${id}/chunks`, { seq, text })).status).toBe(200);
  expect((await owner.request('POST', `/hq/api/imports/${id}/check`)).status).toBe(202);
  const checked = (await settle(id)).import;
  const errors = (await owner.request('GET', `/hq/api/imports/${id}/errors`)).body.errors as ImportError[];
  return { id, checked, errors };
}

async function productCount(): Promise<number> {
  return (
    await rig.database().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM product WHERE merchant_id = $1', [shop.merchantId])
  ).rows[0]!.n;
}

describe('variants made in the console', () => {
  it('a variant of a product: own SKU, option label, barcode and price; the rule refuses chains, cycles and strangers', async () => {
    const add = (parent: string, body: Record<string, unknown>) => owner.request('POST', `/hq/api/products/${parent}/variants`, body);
    const m = await add('TEE-100', { sku: 'TEE-100-M', optionZh: '尺碼 M', optionEn: 'Size M', barcodes: [TEE_M], price: 10_900 });
    expect(m.status).toBe(200);
    expect(m.body.product).toMatchObject({
      sku: 'TEE-100-M',
      nameZh: '純棉T恤 尺碼 M',
      nameEn: 'Cotton tee Size M',
      parentSku: 'TEE-100',
      optionZh: '尺碼 M',
      barcodes: [TEE_M],
    });
    expect(
      (await add('TEE-100', { sku: 'TEE-100-L', optionZh: '尺碼 L', optionEn: 'Size L', barcodes: [TEE_L], price: 11_900 })).status,
    ).toBe(200);
    // a variant of a variant, an SKU already taken, a parent that is not there
    const chain = await add('TEE-100-M', { sku: 'TEE-100-M-X', optionZh: 'X', optionEn: 'X', barcodes: [] });
    expect(chain).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', issues: [{ path: 'parentSku', message: 'PARENT_IS_VARIANT' }] },
    });
    expect((await add('TEE-100', { sku: 'TEE-100-M', optionZh: 'M', optionEn: 'M', barcodes: [] })).status).toBe(409);
    expect((await add('NOPE', { sku: 'NOPE-1', optionZh: 'M', optionEn: 'M', barcodes: [] })).status).toBe(404);
    // the domain refuses the same for the CLI: a parent with variants made a variant, a cycle, itself
    const pool = rig.database().pool;
    await expect(
      upsertProduct(pool, shop.merchantId, { sku: 'TEE-100', nameZh: 'x', nameEn: 'x', parentSku: 'DRI-0001' }, Date.now()),
    ).rejects.toMatchObject({ issues: [{ message: 'HAS_VARIANTS' }] });
    await expect(
      upsertProduct(pool, shop.merchantId, { sku: 'TEE-100', nameZh: 'x', nameEn: 'x', parentSku: 'TEE-100-M' }, Date.now()),
    ).rejects.toMatchObject({ issues: [{ message: 'PARENT_CYCLE' }], message: expect.stringContaining('TEE-100 → TEE-100-M → TEE-100') });
    await expect(
      upsertProduct(pool, shop.merchantId, { sku: 'DRI-0001', nameZh: 'x', nameEn: 'x', parentSku: 'DRI-0001' }, Date.now()),
    ).rejects.toMatchObject({ issues: [{ message: 'SELF_PARENT' }] });
    // and the database itself, whatever the caller
    await expect(
      pool.query("UPDATE product SET parent_sku = 'TEE-100-M' WHERE merchant_id = $1 AND sku = 'DRI-0005'", [shop.merchantId]),
    ).rejects.toMatchObject({ constraint: 'product_variant_one_level' });
    // a viewer is refused at the API
    const viewer = new HqClient(hq.base);
    expect((await viewer.login('viewer@variants.hk')).status).toBe(200);
    expect(
      (await viewer.request('POST', '/hq/api/products/TEE-100/variants', { sku: 'V', optionZh: 'V', optionEn: 'V', barcodes: [] })).status,
    ).toBe(403);
    // the option label is edited like the rest of the product
    const edit = await owner.request('PUT', '/hq/api/products/TEE-100-L', {
      nameZh: '純棉T恤 尺碼 L',
      nameEn: 'Cotton tee Size L',
      categoryCode: null,
      active: true,
      barcodes: [TEE_L],
      optionZh: '大碼 L',
      optionEn: 'Large',
    });
    expect(edit).toMatchObject({ status: 200, body: { product: { optionZh: '大碼 L', optionEn: 'Large', parentSku: 'TEE-100' } } });
    // search lists a variant under its parent, whichever of them matched
    const search = (await owner.request('GET', '/hq/api/products?q=Large')).body.products as ProductRow[];
    expect(search.map((p) => [p.sku, p.parentSku])).toEqual([
      ['TEE-100', null],
      ['TEE-100-L', 'TEE-100'],
      ['TEE-100-M', 'TEE-100'],
    ]);
    const audit = await pool.query<{ action: string; target: string }>(
      "SELECT action, target FROM hq_audit WHERE action = 'product.variant.create' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.target)).toEqual(['TEE-100-M', 'TEE-100-L']);
  });

  it('a running register pulls them: the parent offers its variants, a scanned variant sells at its own price', async () => {
    const parent = await eventually(
      () => call<Product[]>(register, 'catalog:search', { text: 'TEE-100' }),
      (found) => found.some((p) => p.sku === 'TEE-100' && p.variants === 2),
      'the variants to reach the register',
    );
    const tee = parent.find((p) => p.sku === 'TEE-100')!;
    const variants = await eventually(
      () => call<Product[]>(register, 'catalog:variants', { productId: tee.id }),
      (list) => list.some((v) => v.optionEn === 'Large'),
      'the edited option label to reach the register',
    );
    expect(variants.map((v) => [v.sku, v.parentSku, v.optionZh, v.optionEn, v.price])).toEqual([
      ['TEE-100-L', 'TEE-100', '大碼 L', 'Large', 11_900],
      ['TEE-100-M', 'TEE-100', '尺碼 M', 'Size M', 10_900],
    ]);
    const cart = await call<Cart>(register, 'cart:scan', { code: TEE_M });
    expect(cart.lines.at(-1)).toMatchObject({ sku: 'TEE-100-M', listPrice: 10_900 });
    await call(register, 'cart:void', { reason: 'variant test' });
  });
});

describe('variants in the catalogue CSV', () => {
  it('the dry run names every bad variant row with its reason, and nothing is applied', async () => {
    const before = await productCount();
    const { id, checked, errors } = await uploadAndCheck([
      ['CAP-1', '棒球帽', 'Cap', '', 1, '', { cents: 5_900 }, '', '', ''],
      ['CAP-1-RD', '棒球帽 紅', 'Cap red', '', 1, CAP_RED, { cents: 5_900 }, 'CAP-1', '紅色', 'Red'],
      ['X-1', '甲', 'X one', '', 1, '', '', 'GHOST', '紅', 'Red'],
      ['Y-1', '乙', 'Y one', '', 1, '', '', 'Z-1', '', ''],
      ['Z-1', '丙', 'Z one', '', 1, '', '', 'Y-1', '', ''],
      ['W-1', '丁', 'W one', '', 1, '', '', 'TEE-100-M', '', ''],
      ['TEE-100', '純棉T恤', 'Cotton tee', '', 1, '', '', 'CAP-1', '', ''],
      ['V-1', '戊', 'V one', '', 1, '', '', 'V-1', '', ''],
      ['U-1', '己', 'U one', '', 1, '', '', '', '藍', 'Blue'],
    ]);
    expect(checked).toMatchObject({ status: 'checked', errorCount: 8 });
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, 'parent_sku', 'UNKNOWN_PARENT'],
      [5, 'parent_sku', 'PARENT_CYCLE'],
      [6, 'parent_sku', 'PARENT_CYCLE'],
      [7, 'parent_sku', 'PARENT_IS_VARIANT'],
      [8, 'parent_sku', 'HAS_VARIANTS'],
      [9, 'parent_sku', 'SELF_PARENT'],
      [10, 'option_zh', 'OPTION_WITHOUT_PARENT'],
      [10, 'option_en', 'OPTION_WITHOUT_PARENT'],
    ]);
    expect(errors[1]).toMatchObject({ zh: '母貨品形成循環：Y-1 → Z-1 → Y-1', en: 'The parents make a cycle: Y-1 → Z-1 → Y-1' });
    expect(errors[0]!.zh).toContain('GHOST');
    expect((await owner.request('POST', `/hq/api/imports/${id}/apply`)).status).toBe(409);
    expect(await productCount()).toBe(before);
  });

  it('a clean file makes a new parent and its variants; a register pulls them; the export carries parent_sku', async () => {
    const { id, checked } = await uploadAndCheck([
      ['CAP-1-RD', '棒球帽 紅', 'Cap red', '', 1, CAP_RED, { cents: 6_900 }, 'CAP-1', '紅色', 'Red'],
      ['CAP-1', '棒球帽', 'Cap', '', 1, '', { cents: 5_900 }, '', '', ''],
      ['CAP-1-BL', '棒球帽 藍', 'Cap blue', '', 1, '', { cents: 5_900 }, 'CAP-1', '藍色', 'Blue'],
    ]);
    expect(checked).toMatchObject({ errorCount: 0, summary: { added: 3 } });
    expect((await owner.request('POST', `/hq/api/imports/${id}/apply`)).status).toBe(202);
    expect((await settle(id)).task.error).toBeNull();

    const cap = await eventually(
      () => call<Product[]>(register, 'catalog:search', { text: 'CAP-1' }),
      (found) => found.some((p) => p.sku === 'CAP-1' && p.variants === 2),
      'the imported variants to reach the register',
    );
    const variants = await call<Product[]>(register, 'catalog:variants', { productId: cap.find((p) => p.sku === 'CAP-1')!.id });
    expect(variants.map((v) => [v.sku, v.optionEn])).toEqual([
      ['CAP-1-BL', 'Blue'],
      ['CAP-1-RD', 'Red'],
    ]);
    expect((await call<Cart>(register, 'cart:scan', { code: CAP_RED })).lines.at(-1)).toMatchObject({ sku: 'CAP-1-RD', listPrice: 6_900 });
    await call(register, 'cart:void', { reason: 'variant test' });

    const exported = await fetch(`${hq.base}/hq/api/products.csv`, { headers: { cookie: owner.cookie! } });
    const bytes = new Uint8Array(await exported.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('sku,name_zh,name_en,category,active,barcodes,price_hkd,parent_sku,option_zh,option_en\r\n')).toBe(true);
    const lines = text.split('\r\n');
    const at = (sku: string) => lines.findIndex((l) => l.startsWith(`${sku},`));
    expect(lines[at('CAP-1-BL')]).toBe('CAP-1-BL,棒球帽 藍,Cap blue,,1,,59.00,CAP-1,藍色,Blue');
    // each variant right under its parent
    expect([at('CAP-1'), at('CAP-1-BL'), at('CAP-1-RD')]).toEqual([at('CAP-1'), at('CAP-1') + 1, at('CAP-1') + 2]);
  });
});

describe('re-parenting from the product editor', () => {
  const put = (client: HqClient, sku: string, extra: Record<string, unknown>) =>
    client.request('PUT', `/hq/api/products/${sku}`, {
      nameZh: `貨品 ${sku}`,
      nameEn: `Product ${sku}`,
      categoryCode: null,
      active: true,
      barcodes: [],
      ...extra,
    });

  it('makes a product a variant, moves a variant, lets it stand alone; the rule refuses in its own words; audited; registers follow', async () => {
    const pool = rig.database().pool;
    await upsertProduct(pool, shop.merchantId, { sku: 'SOCK-1', nameZh: '襪', nameEn: 'Socks', price: 2_900 }, Date.now());
    await upsertProduct(pool, shop.merchantId, { sku: 'SOCK-RED', nameZh: '紅襪', nameEn: 'Red socks', price: 3_900 }, Date.now());

    // a product that stood alone becomes a variant
    const made = await put(owner, 'SOCK-RED', { parentSku: 'SOCK-1', optionZh: '紅色', optionEn: 'Red' });
    expect(made).toMatchObject({ status: 200, body: { product: { sku: 'SOCK-RED', parentSku: 'SOCK-1', optionEn: 'Red' } } });
    // a variant moves to another parent, keeping its option label
    const moved = await put(owner, 'TEE-100-L', { parentSku: 'SOCK-1' });
    expect(moved).toMatchObject({ status: 200, body: { product: { parentSku: 'SOCK-1', optionZh: '大碼 L', optionEn: 'Large' } } });

    // the rule's refusals, each with its code at parentSku, and nothing changed
    const refusal = async (sku: string, parentSku: string) => {
      const answer = await put(owner, sku, { parentSku });
      expect(answer.status, `${sku} → ${parentSku}`).toBe(400);
      return (answer.body.issues as { path: string; message: string }[])[0];
    };
    expect(await refusal('TEE-100', 'SOCK-1')).toEqual({ path: 'parentSku', message: 'HAS_VARIANTS' });
    expect(await refusal('SOCK-1', 'SOCK-RED')).toEqual({ path: 'parentSku', message: 'PARENT_CYCLE' });
    expect(await refusal('BAK-0012', 'TEE-100-M')).toEqual({ path: 'parentSku', message: 'PARENT_IS_VARIANT' });
    expect(await refusal('BAK-0012', 'GHOST-9')).toEqual({ path: 'parentSku', message: 'UNKNOWN_PARENT' });
    expect(await refusal('BAK-0012', 'BAK-0012')).toEqual({ path: 'parentSku', message: 'SELF_PARENT' });
    const parents = await pool.query<{ sku: string; parent_sku: string | null }>(
      "SELECT sku, parent_sku FROM product WHERE merchant_id = $1 AND sku IN ('TEE-100', 'SOCK-1', 'BAK-0012') ORDER BY sku",
      [shop.merchantId],
    );
    expect(parents.rows.map((r) => r.parent_sku)).toEqual([null, null, null]);

    // a viewer cannot, checked at the API
    const viewer = new HqClient(hq.base);
    expect((await viewer.login('viewer@variants.hk')).status).toBe(200);
    expect((await put(viewer, 'SOCK-RED', { parentSku: null })).status).toBe(403);

    // standing alone again: no parent, no option label
    const alone = await put(owner, 'TEE-100-L', { parentSku: null });
    expect(alone).toMatchObject({ status: 200, body: { product: { parentSku: null, optionZh: '', optionEn: '' } } });
    // omitted keeps the parent (an ordinary edit)
    expect(await put(owner, 'SOCK-RED', { optionZh: '紅色', optionEn: 'Red' })).toMatchObject({
      status: 200,
      body: { product: { parentSku: 'SOCK-1' } },
    });

    const audit = await pool.query<{ target: string; before: { parentSku: string | null }; after: { parentSku: string | null } }>(
      "SELECT target, before, after FROM hq_audit WHERE action = 'product.variant.parent' ORDER BY id",
    );
    expect(audit.rows.map((r) => [r.target, r.before.parentSku, r.after.parentSku])).toEqual([
      ['SOCK-RED', null, 'SOCK-1'],
      ['TEE-100-L', 'TEE-100', 'SOCK-1'],
      ['TEE-100-L', 'SOCK-1', null],
    ]);

    // the register follows through the change feed
    const socks = await eventually(
      () => call<Product[]>(register, 'catalog:search', { text: 'SOCK-1' }),
      (found) => found.some((p) => p.sku === 'SOCK-1' && p.variants === 1),
      'the new variant to reach the register',
    );
    const sockVariants = await call<Product[]>(register, 'catalog:variants', { productId: socks.find((p) => p.sku === 'SOCK-1')!.id });
    expect(sockVariants.map((v) => [v.sku, v.parentSku, v.optionEn])).toEqual([['SOCK-RED', 'SOCK-1', 'Red']]);
    const tee = await eventually(
      () => call<Product[]>(register, 'catalog:search', { text: 'TEE-100' }),
      (found) =>
        found.some((p) => p.sku === 'TEE-100' && p.variants === 1) && found.some((p) => p.sku === 'TEE-100-L' && p.parentSku === null),
      'the detached variant to reach the register as a product of its own',
    );
    expect(tee.find((p) => p.sku === 'TEE-100-L')).toMatchObject({ parentSku: null, optionEn: '' });
  });
});
