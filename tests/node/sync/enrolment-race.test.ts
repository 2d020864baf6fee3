/**
 * Two enrolments at once on one register (the preset file's at start and a manager's, or two
 * windows): one wins, the other is refused before it reaches the cloud, and the token in the vault
 * belongs to the register the database names, so sync still works after a restart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../cloud/domain/registers';
import { MILK_TEA, createCloudShop, enrolmentCode, eventually, loginManager, sell, syncStatus, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

describe('enrolment', () => {
  it('two enrolments sent together: one wins, the other is ENROLMENT_BUSY, and token and database name the same register', async () => {
    const shop = await createCloudShop(database().pool);
    const sync = await openRegister();
    const [codeA, codeB] = [await enrolmentCode(database().pool, shop.store), await enrolmentCode(database().pool, shop.store)];

    const answers = await Promise.all([
      sync.register.dispatch('sync:enrol', { cloudUrl: server.base, code: codeA }),
      sync.register.dispatch('sync:enrol', { cloudUrl: server.base, code: codeB }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok)).toEqual([{ ok: false, error: expect.objectContaining({ code: 'ENROLMENT_BUSY' }) as unknown }]);

    const token = readFileSync(join(sync.dir, 'secrets', 'cloud-token'), 'utf8').trim();
    const local = new Database(join(sync.dir, 'register.db'), { readonly: true });
    const row = local.prepare('SELECT register_id FROM sync_enrolment WHERE id = 1').get() as { register_id: string };
    local.close();
    expect((await authenticate(database().pool, token)).registerId).toBe(row.register_id);

    // and after a restart the worker pushes with that token
    await sync.restart();
    await loginManager(sync.register);
    await sell(sync.register, [MILK_TEA.barcode]);
    const synced = await eventually(
      () => syncStatus(sync.register),
      (s) => s.pending === 0,
      'the sale to reach the cloud',
    );
    expect(synced).toMatchObject({ state: 'online', attention: null });
  });
});
