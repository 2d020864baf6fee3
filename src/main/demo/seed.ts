/**
 * First-run data. `--demo` loads the demo shop from assets/demo/store.json; without it an empty
 * register gets a placeholder identity and one manager account whose one-time PIN is printed once,
 * so IT can log in and enrol the register with the cloud.
 */
import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/open';
import { Cents, Pin, Role } from '../../shared/schemas';
import { hashPin } from '../staff/pin-hash';
import { insertStaff } from '../staff/staff-repo';
import { importCatalogue } from '../catalog/catalog-import';
import type { Promotion } from '../pricing/promotion-schema';
import { upsertPromotion } from '../pricing/promotion-repo';
import { prepared } from '../db/prepared';

const Text = z.string().min(1).max(200);

export const DemoStore = z.strictObject({
  store: z.strictObject({
    code: z.string().min(1).max(16),
    nameZh: Text,
    nameEn: Text,
    addressZh: z.string(),
    addressEn: z.string(),
    phone: z.string(),
  }),
  register: z.strictObject({ code: z.string().min(1).max(8), name: Text }),
  staff: z.array(z.strictObject({ code: Text, nameZh: Text, nameEn: Text, role: Role, pin: Pin })).min(1),
  categories: z.array(z.strictObject({ code: Text, nameZh: Text, nameEn: Text, sort: z.number().int() })),
  products: z.array(
    z.strictObject({
      sku: Text,
      category: Text,
      nameZh: Text,
      nameEn: Text,
      price: Cents.min(0),
      barcodes: z.array(z.string().regex(/^\d{8,14}$/)),
      favouriteRank: z.number().int().positive().optional(),
      parentSku: Text.optional(),
    }),
  ),
});
export type DemoStore = z.infer<typeof DemoStore>;

export function isEmpty(db: Db): boolean {
  return prepared(db, 'SELECT 1 FROM this_register').get() === undefined;
}

export function loadDemoStore(file: string): DemoStore {
  return DemoStore.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export async function seedStore(db: Db, data: DemoStore, pepper: Buffer, promotions: readonly Promotion[] = []): Promise<void> {
  // Hash first: no await may happen inside the transaction below.
  const pinHashes = await Promise.all(data.staff.map((s) => hashPin(s.pin, pepper)));
  db.transaction(() => {
    // 1. identity
    const storeId = prepared(
      db,
      'INSERT INTO store (code, name_zh, name_en, address_zh, address_en, phone) VALUES (:code, :nameZh, :nameEn, :addressZh, :addressEn, :phone)',
    ).run(data.store).lastInsertRowid;
    prepared(db, 'INSERT INTO this_register (id, store_id, code, name) VALUES (1, :storeId, :code, :name)').run({
      storeId,
      ...data.register,
    });
    // 2. staff
    data.staff.forEach((s, i) =>
      insertStaff(db, { code: s.code, name_zh: s.nameZh, name_en: s.nameEn, role: s.role, pin_hash: pinHashes[i] as string }),
    );
    // 3. catalogue (nested transaction: a savepoint inside this one)
    importCatalogue(db, data);
    // 4. promotions
    for (const promotion of promotions) upsertPromotion(db, promotion);
  }).immediate();
}

/**
 * A register with no data and no demo: placeholder identity plus a first manager. The PIN goes to
 * a 0600 file beside the database (never to a log); returns that file's path.
 */
export async function seedFirstManager(db: Db, pepper: Buffer, dataDir: string): Promise<string> {
  const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await seedStore(
    db,
    {
      store: { code: 'S001', nameZh: '未設定店鋪', nameEn: 'Store not set up', addressZh: '', addressEn: '', phone: '' },
      register: { code: '01', name: '收銀機 01' },
      staff: [{ code: 'ADMIN', nameZh: '管理員', nameEn: 'Administrator', role: 'admin', pin }],
      categories: [],
      products: [],
    },
    pepper,
  );
  const file = join(dataDir, 'secrets', 'first-manager-pin.txt');
  writeFileSync(file, `${pin}\n`, { mode: 0o600 });
  return file;
}
