/**
 * The F8 member panel's work (issue 13): find a member by phone, code or a scanned card, from this
 * till's list first and, when that has nothing, from the cloud with a short timeout (a member
 * enrolled at another store a minute ago); enrol a member here, online or offline, through the
 * outbox (kind member.enrolled), with the direct-marketing consent as answered.
 */
import { PosError } from '../../shared/errors';
import {
  CONSENT_WORDING_VERSION,
  MEMBER_CODE_PATTERN,
  MEMBER_HISTORY_LIMIT,
  MemberEnrolment,
  memberCodeFromScan,
  normaliseHkPhone,
  MemberHistory,
  type MemberFindResult,
  type MemberView,
} from '../../shared/member-schemas';
import { FeedMember } from '../../shared/change-feed';
import type { StaffSummary } from '../../shared/schemas';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Logger } from '../log';
import { readIdentity } from '../settings/identity';
import { answeredVersion, createCloudClient } from '../sync/cloud-client';
import { appendOutbox } from '../sync/outbox';
import { readEnrolment } from '../sync/sync-store';
import { findMemberByCode, findMemberByPhone, localPurchases, memberView, upsertCloudMember, type LocalMember } from './member-repo';

/** How long the till waits for the cloud before saying "offline: not found locally". */
export const CLOUD_LOOKUP_TIMEOUT_MS = 1_500;

export interface MemberServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** The cloud token (null when not enrolled or unreadable). */
  cloudToken: () => string | null;
  lookupTimeoutMs?: number;
}

export interface EnrolInput {
  name: string;
  phone: string;
  email: string | null;
  birthMonth: number | null;
  marketingConsent: boolean;
}

/** What the cashier typed or scanned, as a lookup: a phone, a member code, or neither. */
export function parseMemberQuery(query: string): { phone: string } | { code: string } {
  const text = query.trim();
  const scanned = memberCodeFromScan(text);
  if (scanned !== null) return { code: scanned };
  const phone = normaliseHkPhone(text);
  if (phone !== null) return { phone };
  const code = text.toUpperCase();
  if (!/^\d+$/.test(code) && MEMBER_CODE_PATTERN.test(code)) return { code };
  throw new PosError('BAD_REQUEST', 'Type an 8-digit Hong Kong phone number or a member code');
}

export function createMemberService(deps: MemberServiceDeps) {
  const { db, clock, log } = deps;
  const timeoutMs = deps.lookupTimeoutMs ?? CLOUD_LOOKUP_TIMEOUT_MS;

  const findLocal = (query: { phone: string } | { code: string }): LocalMember | null =>
    'phone' in query ? findMemberByPhone(db, query.phone) : findMemberByCode(db, query.code);

  return {
    /** A member on this till by its code (the cart's member), or null. */
    byCode(code: string): LocalMember | null {
      return findMemberByCode(db, code);
    },

    view(member: LocalMember): MemberView {
      return memberView(db, member);
    },

    async find(text: string): Promise<MemberFindResult> {
      // Decided before the first await: what to ask, and whether there is a cloud to ask.
      const query = parseMemberQuery(text);
      const local = findLocal(query);
      if (local) return { member: memberView(db, local), source: 'local', offline: false };
      const enrolment = readEnrolment(db);
      const token = enrolment ? deps.cloudToken() : null;
      if (!enrolment || token === null) return { member: null, source: null, offline: true };
      const client = createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs, now: clock.now });
      const path = `/v1/members/lookup?${'phone' in query ? `phone=${query.phone}` : `code=${encodeURIComponent(query.code)}`}`;
      const answer = await client.request<{ member: unknown; version?: unknown }>('GET', path);
      if (answer.kind === 'ok') {
        const parsed = FeedMember.safeParse(answer.body.member);
        if (!parsed.success) {
          log.warn('the cloud answered a member lookup with a shape this register does not read', {
            issue: parsed.error.issues[0]?.message,
          });
          return { member: null, source: null, offline: true };
        }
        // kept, so the cart and the next lookup find it without the cloud
        db.transaction(() => upsertCloudMember(db, parsed.data, answeredVersion(answer.body) ?? 0)).immediate();
        const member = findLocal(query) ?? findMemberByCode(db, parsed.data.code);
        return { member: member && memberView(db, member), source: 'cloud', offline: member === null };
      }
      if (answer.kind === 'error' && answer.code === 'NOT_FOUND') return { member: null, source: 'cloud', offline: false };
      return { member: null, source: null, offline: true };
    },

    /**
     * The member's recent purchases: every store's and the online shop's from the cloud (bounded by
     * the same short timeout as a lookup); offline, this register's own sales only, and says so.
     */
    async history(code: string): Promise<MemberHistory> {
      // Decided before the first await: which codes are this member's, and what this till has.
      const member = findMemberByCode(db, code);
      if (!member) throw new PosError('NOT_FOUND', `No member ${code} on this register`);
      const local: MemberHistory = { purchases: localPurchases(db, member.codes), source: 'local' };
      const enrolment = readEnrolment(db);
      const token = enrolment ? deps.cloudToken() : null;
      if (!enrolment || token === null) return local;
      const client = createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs, now: clock.now });
      const answer = await client.request<unknown>('GET', `/v1/members/history?code=${encodeURIComponent(member.code)}`);
      if (answer.kind !== 'ok') return local;
      const parsed = MemberHistory.safeParse(answer.body);
      if (!parsed.success) {
        log.warn('the cloud answered a member history with a shape this register does not read', {
          issue: parsed.error.issues[0]?.message,
        });
        return local;
      }
      // this till's documents the cloud has not received yet are still this member's (one that
      // collected an online order the cloud lists is that order's row, not a purchase of its own)
      const known = new Set(parsed.data.purchases.flatMap((p) => [p.receiptNo, ...(p.collectedOn ?? [])]));
      const purchases = [...parsed.data.purchases, ...local.purchases.filter((p) => !known.has(p.receiptNo))]
        .sort((a, b) => b.completedAt - a.completedAt)
        .slice(0, MEMBER_HISTORY_LIMIT);
      return { purchases, source: 'cloud' };
    },

    /** Enrols a member at this till: written with its outbox row, found at once, sent when online. */
    enrol(actor: StaffSummary, input: EnrolInput): MemberView {
      const phone = normaliseHkPhone(input.phone);
      if (phone === null) throw new PosError('BAD_REQUEST', 'The phone must be an 8-digit Hong Kong number');
      const now = clock.now();
      const member = db
        .transaction(() => {
          // 1. one member per phone: an existing one is used, not enrolled twice
          const existing = findMemberByPhone(db, phone);
          if (existing) throw new PosError('CONFLICT', `${phone} is already a member (${existing.code})`);
          // 2. the provisional code: T + this register's series + the enrolment's number
          const identity = readIdentity(db);
          const series = identity ? `${identity.store.code}-${identity.register.code}` : 'LOCAL';
          const id = prepared<[], number>(db, 'SELECT coalesce(max(id), 0) + 1 FROM member_enrolment').pluck().get() as number;
          const code = `T${series}-${String(id).padStart(5, '0')}`.toUpperCase().slice(0, 32);
          prepared(
            db,
            `INSERT INTO member_enrolment (id, provisional_code, name, phone, email, birth_month, consent_given, consent_wording, consent_at, staff_id, enrolled_at)
             VALUES (:id, :code, :name, :phone, :email, :birthMonth, :consent, :wording, :now, :staffId, :now)`,
          ).run({
            id,
            code,
            name: input.name,
            phone,
            email: input.email,
            birthMonth: input.birthMonth,
            consent: input.marketingConsent ? 1 : 0,
            wording: CONSENT_WORDING_VERSION,
            now,
            staffId: actor.id,
          });
          // 3. the outbox row that sends it, in the same transaction
          const payload = MemberEnrolment.parse({
            provisionalCode: code,
            name: input.name,
            phone,
            email: input.email,
            birthMonth: input.birthMonth,
            marketingConsent: { given: input.marketingConsent, wordingVersion: CONSENT_WORDING_VERSION, at: now },
            enrolledAt: now,
          });
          appendOutbox(db, { kind: 'member.enrolled', ref: code, payload, now });
          return findMemberByCode(db, code) as LocalMember;
        })
        .immediate();
      return memberView(db, member);
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
