/** The parts of sync that need no cloud: the token vault, the backoff, and applying pulled changes. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVault } from '../../../src/main/sync/token-vault';
import { backoffDelay } from '../../../src/main/sync/backoff';
import { applyChangePage, applyDuePrices, applySnapshot, heldChanges } from '../../../src/main/sync/apply-changes';
import { writeRedeemedCard } from '../../../src/main/members/gift-cards';
import { writeRedeemedBalance } from '../../../src/main/members/member-repo';
import type { FeedSnapshotEnvelope } from '../../../src/shared/change-feed';
import { registerOnHandMilli } from '../../../src/main/sync/stock-view';
import { openDatabase } from '../../../src/main/db/open';
import { DEMO_MANAGER, openDemoRegister } from '../helpers/demo-register';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-vault-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A demo register's database, enrolled in store MK01 (no cloud behind it): for applying pulled changes by hand. */
async function withEnrolledDemoDb(work: (db: ReturnType<typeof openDatabase>) => void): Promise<void> {
  const register = await openDemoRegister(tempDir());
  const db = openDatabase(register.dbFile, { checkIntegrity: false });
  try {
    db.prepare(
      "INSERT INTO sync_enrolment (id, cloud_url, register_id, register_code, store_code, merchant_name, seq_offset, enrolled_at) VALUES (1, 'http://x', 'r', '01', 'MK01', 'M', 0, 0)",
    ).run();
    work(db);
  } finally {
    db.close();
    register.close();
  }
}

const TOKEN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

describe('token vault', () => {
  it('without safeStorage: a 0600 file in a 0700 secrets folder, cleared by forget', () => {
    const dir = tempDir();
    const vault = createTokenVault(dir);
    expect(vault.storage).toBe('file');
    expect(vault.read()).toBeNull();
    vault.write(TOKEN);
    expect(vault.read()).toBe(TOKEN);
    expect(statSync(join(dir, 'secrets', 'cloud-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    vault.clear();
    expect(vault.read()).toBeNull();
  });

  it('with safeStorage: only the ciphertext is on disk, 0600, and it decrypts back', () => {
    const dir = tempDir();
    // A stand-in for Electron's safeStorage: reversible, and visibly not the plain text.
    const codec = {
      encrypt: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
      decrypt: (cipher: Buffer) => Buffer.from(cipher).reverse().toString('utf8'),
    };
    const vault = createTokenVault(dir, codec);
    expect(vault.storage).toBe('safe-storage');
    vault.write(TOKEN);
    const file = join(dir, 'secrets', 'cloud-token.enc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes(Buffer.from(TOKEN))).toBe(false);
    expect(vault.read()).toBe(TOKEN);
    expect(createTokenVault(dir).read()).toBeNull();
  });

  it('usable(): decrypts once per version of the file, and follows a rewrite, a deletion and a file that no longer decrypts', () => {
    const dir = tempDir();
    let decryptions = 0;
    let keyChanged = false;
    const codec = {
      encrypt: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
      decrypt: (cipher: Buffer) => {
        decryptions += 1;
        if (keyChanged) throw new Error('the keychain key changed');
        return Buffer.from(cipher).reverse().toString('utf8');
      },
    };
    const vault = createTokenVault(dir, codec);
    expect(vault.usable()).toBe(false);
    vault.write(TOKEN);
    for (let i = 0; i < 50; i++) expect(vault.usable()).toBe(true);
    expect(decryptions).toBe(1);

    // Rewritten (rotation): the new file is read once.
    vault.write(`${TOKEN}-rotated`);
    expect(vault.usable()).toBe(true);
    expect(vault.usable()).toBe(true);
    expect(decryptions).toBe(2);

    // Deleted behind the register's back: no token, at once, without a decryption.
    const file = join(dir, 'secrets', 'cloud-token.enc');
    const bytes = readFileSync(file);
    rmSync(file);
    expect(vault.usable()).toBe(false);
    expect(decryptions).toBe(2);

    // Put back, but the keychain can no longer decrypt it: not usable, and not asked again until it changes.
    writeFileSync(file, bytes, { mode: 0o600 });
    keyChanged = true;
    expect(vault.usable()).toBe(false);
    expect(vault.usable()).toBe(false);
    expect(decryptions).toBe(3);
    keyChanged = false;
    vault.write(TOKEN);
    expect(vault.usable()).toBe(true);
    expect(decryptions).toBe(4);

    // Without safeStorage, the plain file: an empty file is no token.
    const plainDir = tempDir();
    const plain = createTokenVault(plainDir);
    plain.write(TOKEN);
    expect(plain.usable()).toBe(true);
    writeFileSync(join(plainDir, 'secrets', 'cloud-token'), '  \n');
    expect(plain.usable()).toBe(false);
    plain.clear();
    expect(plain.usable()).toBe(false);
  });

  it('an enrolled register whose token file is deleted says so in its status, and clears it when the token is back', async () => {
    const dir = tempDir();
    const register = await openDemoRegister(dir);
    try {
      const db = openDatabase(register.dbFile, { checkIntegrity: false });
      try {
        db.prepare(
          "INSERT INTO sync_enrolment (id, cloud_url, register_id, register_code, store_code, merchant_name, seq_offset, enrolled_at) VALUES (1, 'http://127.0.0.1:9', 'r', '01', 'MK01', 'M', 0, 0)",
        ).run();
      } finally {
        db.close();
      }
      expect((await register.dispatch('staff:login', { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin })).ok).toBe(true);
      const status = async () => {
        const answer = await register.dispatch('sync:status', {});
        if (!answer.ok) throw new Error(answer.error.message);
        return answer.value as { state: string; attention: string | null };
      };
      expect(await status()).toMatchObject({ state: 'attention', attention: 'token-invalid' });
      createTokenVault(dir).write(TOKEN);
      expect((await status()).attention).toBeNull();
      rmSync(join(dir, 'secrets', 'cloud-token'));
      expect(await status()).toMatchObject({ state: 'attention', attention: 'token-invalid' });
      createTokenVault(dir).write(TOKEN);
      expect((await status()).attention).toBeNull();
    } finally {
      register.close();
    }
  });
});

describe('backoff', () => {
  it('is full jitter: between 0 and min(cap, base·2^attempt)', () => {
    const options = { baseMs: 100, capMs: 5_000 };
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...options, random: () => 0.999_999 })).toBe(799);
    expect(backoffDelay(30, { ...options, random: () => 0.999_999 })).toBe(4_999);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(5, options)));
    expect(spread.size).toBeGreaterThan(10);
    for (const delay of spread) expect(delay).toBeLessThan(3_200);
  });

  it('never retries before a Retry-After, which is itself capped', () => {
    expect(backoffDelay(0, { baseMs: 100, capMs: 5_000, random: () => 0 }, 3_000)).toBe(3_000);
    expect(backoffDelay(0, { baseMs: 100, capMs: 5_000, random: () => 0 }, 3_600_000)).toBe(20_000);
  });
});

describe('applying a page of changes', () => {
  it('holds (and names) a change this register cannot apply, applies the rest and moves the cursor, all in one transaction', async () => {
    await withEnrolledDemoDb((db) => {
      const now = Date.now();
      const held = applyChangePage(
        db,
        [
          { version: 1, entity: 'product', op: 'upsert', data: { sku: 'DRI-0005', nameZh: '', nameEn: 'Water' } },
          { version: 2, entity: 'price', op: 'upsert', data: { sku: 'DRI-0005', validFrom: now - 1_000, price: 950 } },
          { version: 3, entity: 'price', op: 'upsert', data: { sku: 'DRI-0005', validFrom: now + 3_600_000, price: 990 } },
          { version: 4, entity: 'stock', op: 'upsert', data: { storeCode: 'MK01', sku: 'DRI-0005', onHandMilli: 12_000 } },
          { version: 5, entity: 'stock', op: 'upsert', data: { storeCode: 'TST', sku: 'DRI-0005', onHandMilli: 99_000 } },
          { version: 6, entity: 'gift-card', op: 'upsert', data: {} },
        ],
        6,
        'MK01',
        now,
      );
      expect(held).toBe(2);
      const heldRows = () =>
        db.prepare('SELECT version, entity, change_key AS key, error, attempts FROM sync_held_change ORDER BY version').all();
      expect(heldRows()).toEqual([
        { version: 1, entity: 'product', key: 'product:DRI-0005', error: expect.stringMatching(/^product: nameZh: /), attempts: 1 },
        { version: 6, entity: 'gift-card', key: null, error: 'gift-card: not known to this register version', attempts: 1 },
      ]);
      expect(heldChanges(db)).toEqual({ count: 2, firstError: expect.stringMatching(/^product: /) });
      expect(db.prepare("SELECT name_zh, price FROM product WHERE sku = 'DRI-0005'").get()).toEqual({
        name_zh: '蒸餾水 500毫升',
        price: 950,
      });
      expect(db.prepare('SELECT price FROM scheduled_price').pluck().all()).toEqual([950, 990]);
      expect(db.prepare('SELECT changes_cursor FROM sync_enrolment').pluck().get()).toBe(6);
      expect(registerOnHandMilli(db, 'DRI-0005')).toBe(12_000);
      // the scheduled price takes over when its time comes, and the one it replaces is forgotten
      expect(applyDuePrices(db, now + 3_600_000)).toBe(1);
      expect(db.prepare("SELECT price FROM product WHERE sku = 'DRI-0005'").pluck().get()).toBe(990);
      expect(db.prepare('SELECT price FROM scheduled_price').pluck().all()).toEqual([990]);
      // the next page retries what is held; a newer change to the same product supersedes the held one
      expect(
        applyChangePage(
          db,
          [
            {
              version: 7,
              entity: 'product',
              op: 'upsert',
              data: {
                sku: 'DRI-0005',
                nameZh: '水',
                nameEn: 'Water',
                categoryCode: null,
                taxClass: 'none',
                active: true,
                barcodes: ['4891234000050'],
              },
            },
          ],
          7,
          'MK01',
          now,
        ),
      ).toBe(0);
      expect(heldRows()).toEqual([
        { version: 6, entity: 'gift-card', key: null, error: 'gift-card: not known to this register version', attempts: 2 },
      ]);
      expect(db.prepare("SELECT name_zh FROM product WHERE sku = 'DRI-0005'").pluck().get()).toBe('水');
      // a member without a phone, as head office may keep one
      expect(
        applyChangePage(
          db,
          [
            {
              version: 8,
              entity: 'member',
              op: 'upsert',
              data: { id: 4, code: 'M4', name: '陳太', phone: null, tier: 'gold', active: true },
            },
          ],
          8,
          'MK01',
          now,
        ),
      ).toBe(0);
      expect(db.prepare('SELECT code, phone FROM cloud_member WHERE id < 90000000').all()).toEqual([{ code: 'M4', phone: null }]);
    });
  });
});

describe('balances kept as of a change-log version (issue 18)', () => {
  const HASH = `gc1:${'a'.repeat(60)}`;
  const card = (balance: number) => ({ hash: HASH, last4: '1234', status: 'active', balance });
  const member = (points: number, storeCredit: number) => ({
    id: 7,
    code: 'M7',
    name: '陳太',
    phone: '91234567',
    tier: 'gold',
    active: true,
    points,
    storeCredit,
    aliases: [],
  });
  const snapshot = (version: number, balance: number, points: number, storeCredit: number): FeedSnapshotEnvelope =>
    ({
      version,
      products: [],
      prices: [],
      promotions: [],
      members: [member(points, storeCredit)],
      stock: [],
      storePrices: [],
      staff: [],
      giftCards: [card(balance)],
      reorderLevels: [],
      memberRules: [],
    }) as unknown as FeedSnapshotEnvelope;

  it('a redemption’s answer outranks older changes and snapshots, not newer ones; a restored cloud’s snapshot resets them', async () => {
    await withEnrolledDemoDb((db) => {
      const now = Date.now();
      const page = (version: number, balance: number, points: number, storeCredit: number) =>
        applyChangePage(
          db,
          [
            { version, entity: 'gift_card', op: 'upsert', data: card(balance) },
            { version, entity: 'member', op: 'upsert', data: member(points, storeCredit) },
          ],
          version,
          'MK01',
          now,
        );
      const kept = () => ({
        card: db.prepare('SELECT balance, version FROM cloud_gift_card WHERE hash = ?').get(HASH),
        member: db.prepare('SELECT points, points_version, store_credit, store_credit_version FROM cloud_member WHERE id = 7').get(),
      });
      expect(page(10, 10_000, 100, 5_000)).toBe(0);
      // the cloud answered two redemptions made at version 12: the card's and the member's credit
      db.transaction(() => {
        writeRedeemedCard(db, { hash: HASH, last4: '1234' }, { balance: 7_000, version: 12 });
        writeRedeemedBalance(db, 7, 'credit', { balance: 2_000, version: 12 });
      })();
      // a pull read before them (version 11) lands after: the balances stay, the points (not redeemed) move
      expect(page(11, 9_000, 150, 4_000)).toBe(0);
      expect(kept()).toEqual({
        card: { balance: 7_000, version: 12 },
        member: { points: 150, points_version: 11, store_credit: 2_000, store_credit_version: 12 },
      });
      // so does a snapshot read before them: the card is not dropped with the older ones
      expect(applySnapshot(db, snapshot(11, 9_000, 160, 4_000), 'MK01', now)).toBe(0);
      expect(kept()).toEqual({
        card: { balance: 7_000, version: 12 },
        member: { points: 160, points_version: 11, store_credit: 2_000, store_credit_version: 12 },
      });
      // an answer older than what a pull already brought changes nothing; a replay (no version) is written
      expect(page(13, 6_000, 170, 1_500)).toBe(0);
      db.transaction(() => {
        writeRedeemedCard(db, { hash: HASH, last4: '1234' }, { balance: 7_000, version: 12 });
        writeRedeemedBalance(db, 7, 'credit', { balance: 2_000, version: 12 });
      })();
      expect(kept()).toEqual({
        card: { balance: 6_000, version: 13 },
        member: { points: 170, points_version: 13, store_credit: 1_500, store_credit_version: 13 },
      });
      db.transaction(() => writeRedeemedBalance(db, 7, 'points', { balance: 120, version: null }))();
      expect(kept().member).toMatchObject({ points: 120, points_version: 13 });
      // the cloud's database was restored (its versions start again lower): its snapshot is the truth
      expect(applySnapshot(db, snapshot(5, 500, 50, 300), 'MK01', now)).toBe(0);
      expect(kept()).toEqual({
        card: { balance: 500, version: 5 },
        member: { points: 50, points_version: 5, store_credit: 300, store_credit_version: 5 },
      });
      expect(db.prepare('SELECT changes_cursor FROM sync_enrolment').pluck().get()).toBe(5);
    });
  });
});
