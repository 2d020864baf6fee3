/**
 * Enrolling this register with the cloud (IT types the cloud URL and the code head office issued)
 * and forgetting the enrolment. Enrolment takes the store and register codes the cloud assigned,
 * so receipt numbers ({store}-{register}-{seq}) are unique across the merchant; the queue is kept
 * either way, and rows committed before enrolment are pushed to the new enrolment, documents
 * renumbered into its series first (renumber.ts).
 */
import { z } from 'zod';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { SyncEnrolRequest } from '../../shared/sync-schemas';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { forgetLocalMemberRules } from '../members/member-rules';
import { readIdentity } from '../settings/identity';
import { forgetPulledVersions } from './apply-changes';
import { createCloudClient } from './cloud-client';
import { enrolRefusal } from './enrol-refusal';
import { moveLocalState, renumberIntoSeries } from './renumber';
import { readEnrolment } from './sync-store';
import type { TokenVault } from './token-vault';

/** What the cloud answers an enrolment; not strict, a newer cloud may say more. */
const EnrolAnswer = z.object({
  registerId: z.string().min(1),
  registerCode: z.string().min(1),
  token: z.string().min(1),
  merchant: z.object({ name: z.string() }),
  store: z.object({
    code: z.string().min(1),
    nameZh: z.string(),
    nameEn: z.string(),
    addressZh: z.string(),
    addressEn: z.string(),
    phone: z.string(),
  }),
});

/**
 * One enrolment at a time on a register (the preset file's at start, a manager's from the back
 * office, two windows): held from before the cloud call until the token and the row are written,
 * so a second enrolment cannot overwrite the first one's token and then fail on the row.
 * The sync controller owns the one lock both callers pass.
 */
export interface EnrolmentLock {
  held: boolean;
}

export async function enrolRegister(
  deps: { db: Db; vault: TokenVault; audit: AuditLog; clock: Clock; lock: EnrolmentLock; timeoutMs?: number },
  /** Who enrolled; null: the preset file at start (preset-config.ts). */
  actor: StaffSummary | null,
  request: SyncEnrolRequest,
): Promise<{ storeCode: string; registerCode: string }> {
  const { db, lock } = deps;
  // Decided before the first await, so two requests cannot both pass the checks.
  if (readEnrolment(db)) throw new PosError('ALREADY_ENROLLED', 'This register is already enrolled: forget the enrolment first');
  if (lock.held)
    throw new PosError('ENROLMENT_BUSY', 'This register is already being enrolled: wait for that to finish, then look at the status');
  lock.held = true;
  try {
    return await enrolWithCloud(deps, actor, request);
  } finally {
    lock.held = false;
  }
}

async function enrolWithCloud(
  deps: { db: Db; vault: TokenVault; audit: AuditLog; clock: Clock; timeoutMs?: number },
  actor: StaffSummary | null,
  request: SyncEnrolRequest,
): Promise<{ storeCode: string; registerCode: string }> {
  const { db, vault, audit, clock } = deps;
  const identity = readIdentity(db);
  const cloudUrl = request.cloudUrl.replace(/\/+$/, '');
  const client = createCloudClient({ baseUrl: cloudUrl, timeoutMs: deps.timeoutMs ?? 15_000, now: clock.now });
  const answer = await client.request<unknown>(
    'POST',
    '/v1/enroll',
    JSON.stringify({ code: request.code, ...(identity ? { name: identity.register.name.slice(0, 100) } : {}) }),
  );
  if (answer.kind !== 'ok') throw enrolRefusal(answer, cloudUrl);
  const parsed = EnrolAnswer.safeParse(answer.body);
  // A 2xx in JSON that is no enrolment: another service answers at this address.
  if (!parsed.success)
    throw new PosError(
      'CLOUD_NOT_SUANPAN',
      `${cloudUrl} answered the enrolment with no register in it`,
      undefined,
      undefined,
      `HTTP ${answer.status}`,
    );
  const enrolled = parsed.data;
  const now = clock.now();
  const writeEnrolment = db.transaction(() => {
    const store = enrolled.store;
    prepared(
      db,
      `UPDATE store SET code = :code, name_zh = :nameZh, name_en = :nameEn, address_zh = :addressZh, address_en = :addressEn, phone = :phone
       WHERE id = (SELECT store_id FROM this_register WHERE id = 1)`,
    ).run(store);
    const localCode = prepared<[], string>(db, 'SELECT code FROM this_register WHERE id = 1').pluck().get() as string;
    prepared(db, 'UPDATE this_register SET code = :code WHERE id = 1').run({ code: enrolled.registerCode });
    // The open shift, the business days, the open and suspended carts go on under the enrolled code.
    moveLocalState(db, localCode, enrolled.registerCode);
    // Before the first push: what was sold before enrolment takes numbers in this register's own series.
    const renumbered = renumberIntoSeries(db, { storeCode: store.code, registerCode: enrolled.registerCode });
    // The cloud numbers from 1: rows acked under an earlier enrolment are not sent again.
    const offset = prepared<[], number>(
      db,
      // With nothing queued, the next row's seq is the max or a restore's floor, whichever is higher (backup/sequence-floor.ts).
      `SELECT coalesce((SELECT min(seq) - 1 FROM outbox WHERE acked_at IS NULL),
                       (SELECT max(coalesce(max(seq), 0),
                                   coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'sequence.outboxFloor'), 0)) FROM outbox))`,
    )
      .pluck()
      .get() as number;
    prepared(
      db,
      `INSERT INTO sync_enrolment (id, cloud_url, register_id, register_code, store_code, merchant_name, seq_offset, enrolled_at)
       VALUES (1, :cloudUrl, :registerId, :registerCode, :storeCode, :merchantName, :offset, :now)`,
    ).run({
      cloudUrl,
      registerId: enrolled.registerId,
      registerCode: enrolled.registerCode,
      storeCode: store.code,
      merchantName: enrolled.merchant.name,
      offset,
      now,
    });
    // Enrolled, reorder levels are head office's (they arrive with the pull): the register's own go.
    prepared(db, 'DELETE FROM stock_level').run();
    // and so are the member rules (earn rate, tiers, excluded categories, redeem rate, offline limit)
    forgetLocalMemberRules(db);
    // balances kept as of another enrolment's change log do not outrank this one's snapshot
    forgetPulledVersions(db);
    prepared(
      db,
      `UPDATE sync_health SET reachable = 1, last_sync_at = :now, last_attempt_at = :now, attention = NULL, attention_detail = NULL, last_error = NULL,
         clock_skew_ms = :skew, duplicates_absorbed = 0 WHERE id = 1`,
    ).run({
      now,
      skew: answer.serverTime === null ? null : Math.round(answer.serverTime - (answer.rtt.sentAt + answer.rtt.receivedAt) / 2),
    });
    audit.append({
      kind: 'sync.enrolled',
      staffId: actor?.id ?? null,
      subject: enrolled.registerId,
      detail: { cloudUrl, store: store.code, register: enrolled.registerCode, renumbered, ...(actor === null ? { by: 'preset' } : {}) },
    });
  });
  // The token first, then the row; a row not written takes the token with it, so the vault and
  // the database never name different registers.
  vault.write(enrolled.token);
  try {
    writeEnrolment.immediate();
  } catch (error) {
    vault.clear();
    throw error;
  }
  return { storeCode: enrolled.store.code, registerCode: enrolled.registerCode };
}

/** Unenrols: the token is deleted, pushing stops; the queue stays for the next enrolment. */
export function forgetEnrolment(deps: { db: Db; vault: TokenVault; audit: AuditLog }, actor: StaffSummary): void {
  const { db, vault, audit } = deps;
  const enrolment = readEnrolment(db);
  if (!enrolment) throw new PosError('NOT_FOUND', 'This register is not enrolled');
  db.transaction(() => {
    prepared(db, 'DELETE FROM sync_enrolment WHERE id = 1').run();
    prepared(db, 'UPDATE sync_health SET reachable = 0, attention = NULL, attention_detail = NULL, last_error = NULL WHERE id = 1').run();
    audit.append({ kind: 'sync.forgotten', staffId: actor.id, subject: enrolment.registerId, detail: { cloudUrl: enrolment.cloudUrl } });
  }).immediate();
  vault.clear();
}

/** A manager has seen the quarantine report: the attention goes away until the next one. */
export function acknowledgeQuarantine(db: Db, now: number): number {
  return prepared(db, 'UPDATE sync_quarantine SET acknowledged_at = :now WHERE acknowledged_at IS NULL').run({ now }).changes;
}
