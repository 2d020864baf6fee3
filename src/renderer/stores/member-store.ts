/**
 * F8 會員 (issue 13): find a member by phone, member code or a scanned card, put them on the sale,
 * take them off, enrol a new one, and see their recent purchases. Main answers from this till's
 * member list first and asks the cloud only when that has nothing (briefly); `offline` in its
 * answer means "not found locally and the cloud could not be asked", never "no such member".
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { PosErrorBody } from '../../shared/errors';
import {
  MEMBER_CODE_PATTERN,
  memberCodeFromScan,
  normaliseHkPhone,
  type MemberEnrolInput,
  type MemberFindResult,
  type MemberHistory,
  type MemberView,
} from '../../shared/member-schemas';
import type { CartState } from './cart-store';
import type { FailureHandler } from './load-state';
import { done, refused, type Outcome } from './outcome';

export type MemberProblem = 'QUERY_INVALID' | 'NOT_FOUND' | 'OFFLINE_NOT_FOUND';

export interface EnrolDraft {
  name: string;
  phone: string;
  email: string;
  /** '' or 1–12 */
  birthMonth: string;
  /** null until the cashier has asked and the customer has answered: there is no default. */
  marketingConsent: boolean | null;
}

export type EnrolProblem = 'NAME_REQUIRED' | 'PHONE_INVALID' | 'EMAIL_INVALID' | 'CONSENT_REQUIRED';

export interface MemberState {
  query: string;
  finding: boolean;
  /** The member found by the last search (not yet on the sale). */
  found: MemberView | null;
  /** Where the last search looked: local, the cloud just now. */
  source: MemberFindResult['source'];
  problem: MemberProblem | null;
  failure: PosErrorBody | null;
  history: MemberHistory | null;
  historyFor: string | null;
  historyLoading: boolean;
  draft: EnrolDraft;
  enrolProblem: EnrolProblem | null;
  enrolling: boolean;
  setQuery(text: string): void;
  /** Searches for what is typed (or `text`): a phone, a member code, or a scanned card. */
  find(text?: string): Promise<Outcome>;
  /** A member card scanned at any focus: found members go straight onto the sale. */
  scanned(code: string): Promise<Outcome>;
  /** Puts the found member (or `code`) on the open sale. */
  attach(code?: string): Promise<Outcome>;
  /** Takes the member off the open sale. */
  detach(): Promise<Outcome>;
  loadHistory(code: string): Promise<void>;
  startEnrol(phone?: string): void;
  setDraft(patch: Partial<EnrolDraft>): void;
  enrol(): Promise<Outcome>;
  clear(): void;
  reset(): void;
}

const emptyDraft: EnrolDraft = { name: '', phone: '', email: '', birthMonth: '', marketingConsent: null };

/** What the till can search for, checked before a round trip (main checks again). */
export function isMemberQuery(text: string): boolean {
  const trimmed = text.trim();
  if (memberCodeFromScan(trimmed) !== null || normaliseHkPhone(trimmed) !== null) return true;
  const code = trimmed.toUpperCase();
  return !/^\d+$/.test(code) && MEMBER_CODE_PATTERN.test(code);
}

export function createMemberStore(
  api: PosApi,
  options: { onFailure?: FailureHandler; cart: () => CartState; onOpen?: () => void },
): StoreApi<MemberState> {
  const onFailure = options.onFailure ?? (() => {});
  let findSeq = 0;
  let historySeq = 0;

  return createStore<MemberState>()((set, get) => {
    const search = async (text: string): Promise<{ outcome: Outcome; result: MemberFindResult | null }> => {
      const seq = ++findSeq;
      if (!isMemberQuery(text)) {
        set({ problem: 'QUERY_INVALID', found: null, failure: null, finding: false });
        return { outcome: refused('BAD_REQUEST'), result: null };
      }
      set({ finding: true, problem: null, failure: null });
      const result = await api['member:find']({ query: text.trim() });
      if (seq !== findSeq)
        return { outcome: { ok: false, error: { code: 'CONFLICT', message: 'a newer search was made' }, cancelled: true }, result: null };
      if (!result.ok) {
        onFailure(result.error);
        set({ finding: false, found: null, failure: result.error, problem: result.error.code === 'BAD_REQUEST' ? 'QUERY_INVALID' : null });
        return { outcome: { ok: false, error: result.error }, result: null };
      }
      const { member, source, offline } = result.value;
      set({
        finding: false,
        found: member,
        source,
        problem: member ? null : offline ? 'OFFLINE_NOT_FOUND' : 'NOT_FOUND',
      });
      return { outcome: member ? done : refused('NOT_FOUND'), result: result.value };
    };

    return {
      query: '',
      finding: false,
      found: null,
      source: null,
      problem: null,
      failure: null,
      history: null,
      historyFor: null,
      historyLoading: false,
      draft: emptyDraft,
      enrolProblem: null,
      enrolling: false,

      setQuery(query) {
        // a new query: Enter searches again rather than adding the member found before
        set({ query, found: null, problem: null, failure: null });
      },

      async find(text) {
        const query = text ?? get().query;
        if (text !== undefined) set({ query: text });
        const { outcome, result } = await search(query);
        if (result?.member) void get().loadHistory(result.member.code);
        return outcome;
      },

      scanned(code) {
        set({ query: code });
        // A cart intent from the scan on (the lookup may wait for the cloud): F12 pressed meanwhile
        // opens the payment on the member's prices, not the cart before them.
        return options.cart().intent(async () => {
          const { outcome, result } = await search(code);
          if (!result?.member) {
            // not found: the panel says why (offline, or no such member)
            options.onOpen?.();
            return outcome;
          }
          return get().attach(result.member.code);
        });
      },

      async attach(code) {
        const target = code ?? get().found?.code;
        if (!target) return refused('NOT_FOUND');
        const outcome = await options.cart().setMember(target);
        if (!outcome.ok) set({ failure: outcome.error });
        else set({ query: '', found: null, problem: null, failure: null });
        return outcome;
      },

      async detach() {
        const outcome = await options.cart().setMember(null);
        if (!outcome.ok) set({ failure: outcome.error });
        return outcome;
      },

      async loadHistory(code) {
        const seq = ++historySeq;
        set({ historyLoading: true, historyFor: code, history: get().historyFor === code ? get().history : null });
        const result = await api['member:history']({ code });
        if (seq !== historySeq) return;
        if (!result.ok) {
          onFailure(result.error);
          set({ historyLoading: false, history: null });
          return;
        }
        set({ historyLoading: false, history: result.value });
      },

      startEnrol(phone) {
        const typed = phone === undefined ? null : normaliseHkPhone(phone);
        set({ draft: { ...emptyDraft, phone: typed ?? '' }, enrolProblem: null, failure: null, enrolling: false });
      },

      setDraft(patch) {
        set((s) => ({ draft: { ...s.draft, ...patch }, enrolProblem: null, failure: null }));
      },

      async enrol() {
        const { draft } = get();
        const problem: EnrolProblem | null =
          draft.name.trim() === ''
            ? 'NAME_REQUIRED'
            : normaliseHkPhone(draft.phone) === null
              ? 'PHONE_INVALID'
              : draft.email.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.email.trim())
                ? 'EMAIL_INVALID'
                : draft.marketingConsent === null
                  ? 'CONSENT_REQUIRED'
                  : null;
        if (problem) {
          set({ enrolProblem: problem });
          return { ok: false, error: { code: 'BAD_REQUEST', message: problem } };
        }
        set({ enrolling: true, failure: null });
        const input: MemberEnrolInput = {
          name: draft.name,
          phone: draft.phone,
          email: draft.email.trim() === '' ? null : draft.email.trim(),
          birthMonth: draft.birthMonth === '' ? null : Number(draft.birthMonth),
          marketingConsent: draft.marketingConsent === true,
        };
        const result = await api['member:enrol'](input);
        if (!result.ok) {
          onFailure(result.error);
          set({ enrolling: false, failure: result.error });
          return { ok: false, error: result.error };
        }
        set({ enrolling: false, draft: emptyDraft });
        // the new member goes straight onto the sale
        return get().attach(result.value.code);
      },

      clear() {
        findSeq++;
        set({ query: '', found: null, source: null, problem: null, failure: null, finding: false });
      },

      reset() {
        findSeq++;
        historySeq++;
        set({
          query: '',
          finding: false,
          found: null,
          source: null,
          problem: null,
          failure: null,
          history: null,
          historyFor: null,
          historyLoading: false,
          draft: emptyDraft,
          enrolProblem: null,
          enrolling: false,
        });
      },
    };
  });
}
