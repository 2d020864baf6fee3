/** Steps the shared-count (多機盤點) sync tests share: several registers of one store in one count. */
import type { Pool } from '../../../cloud/db/pool';
import type { CountSessionView } from '../../../src/shared/count-session';
import type { StockDocumentView } from '../../../src/shared/stock-schemas';
import type { Register } from '../../../src/main/register';
import { call, enrol, enrolmentCode, eventually } from './helpers';

/** The codes of a store's registers, in the order they enrolled. */
export async function registerCodes(pool: Pool, storeId: number): Promise<string[]> {
  return (await pool.query<{ code: string }>('SELECT code FROM register WHERE store_id = $1 ORDER BY enrolled_at', [storeId])).rows.map(
    (r) => r.code,
  );
}

/**
 * `opener` opens a shared, blind count of what is scanned; once the cloud offers it on the first of
 * `joiners`, every joiner joins it. Answers the opener's copy, the session and the joiners' copies.
 */
export async function openSharedCount<Joiners extends Register[]>(
  opener: Register,
  joiners: [...Joiners],
): Promise<{ opened: StockDocumentView; sessionId: string; joined: { [K in keyof Joiners]: StockDocumentView } }> {
  const opened = await call<StockDocumentView>(opener, 'stock:open', { kind: 'count', scope: { kind: 'scanned' }, shared: true });
  const offered = await eventually(
    () => call<CountSessionView[]>(joiners[0] as Register, 'stock:count-sessions'),
    (list) => list.length === 1,
    'the shared count offered on the first joiner',
  );
  const sessionId = offered[0]!.sessionId;
  const joined: StockDocumentView[] = [];
  for (const joiner of joiners) joined.push(await call<StockDocumentView>(joiner, 'stock:join-count', { sessionId }));
  return { opened, sessionId, joined: joined as { [K in keyof Joiners]: StockDocumentView } };
}

/** Three registers of `store` opened and enrolled in order, each through its own cloud address (the cloud, or a proxy before it). */
export async function threeRegisters(
  open: () => Promise<{ register: Register }>,
  pool: Pool,
  store: Parameters<typeof enrolmentCode>[1],
  urls: [string, string, string],
): Promise<[Register, Register, Register]> {
  const registers: Register[] = [];
  for (const url of urls) {
    const { register } = await open();
    await enrol(register, url, await enrolmentCode(pool, store));
    registers.push(register);
  }
  return registers as [Register, Register, Register];
}
