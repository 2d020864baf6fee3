/**
 * Manager override, one way for every action (issue 3): a call that answers APPROVAL_REQUIRED opens
 * a small PIN pad over whatever screen is showing; a manager picks their name and types the PIN;
 * the same request goes again with `approval: { staffId, pin }`. A wrong PIN or a lockout is shown
 * on the pad and the cashier's request waits there; backing out answers the original refusal.
 *
 * The PIN lives here only until it is sent, and is cleared on every answer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { Approval } from '../../shared/checkout-schemas';
import type { ErrorCode, PosErrorBody, Result } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { Permission } from '../../shared/permissions';
import type { FailureHandler, LoadState } from './load-state';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from './session-store';

export type ApprovalReason = 'discount' | 'cart-discount' | 'price' | 'return-without-receipt' | 'quick-add' | 'no-sale';

export type ApprovalError = 'CHOOSE_MANAGER' | 'PIN_TOO_SHORT' | 'PIN_INVALID' | 'LOCKED_OUT' | 'NOT_A_MANAGER' | 'FAILED';

/** Answers that mean "this PIN did not do it": the pad stays, the request waits. */
const inPlaceErrors: Partial<Record<ErrorCode, ApprovalError>> = {
  PIN_INVALID: 'PIN_INVALID',
  LOCKED_OUT: 'LOCKED_OUT',
  FORBIDDEN: 'NOT_A_MANAGER',
  APPROVAL_REQUIRED: 'NOT_A_MANAGER',
};

export type ApprovedCall<T> = (approval?: Approval) => Promise<Result<T>>;

export interface ApprovalState {
  open: boolean;
  reason: ApprovalReason | null;
  /** Main's words for why, e.g. "Discount over the limit: a manager must approve". */
  detail: string;
  managers: StaffSummary[];
  managersState: LoadState;
  managerId: number | null;
  pin: string;
  error: ApprovalError | null;
  /** Main's message for the last in-place error (the lockout's minutes). */
  errorDetail: string;
  submitting: boolean;
  /**
   * Runs `call` without approval; on APPROVAL_REQUIRED asks for a manager and runs it again with
   * theirs. Resolves with the final answer; a cancelled pad resolves with the APPROVAL_REQUIRED.
   */
  withApproval<T>(reason: ApprovalReason, call: ApprovedCall<T>): Promise<Result<T>>;
  selectManager(staffId: number): void;
  pressDigit(digit: string): void;
  deleteDigit(): void;
  clearPin(): void;
  submit(): Promise<void>;
  cancel(): void;
}

/** True for the answer of a manager override the cashier backed out of. */
export function isApprovalCancelled(result: Result<unknown>): boolean {
  return !result.ok && result.error.code === 'APPROVAL_REQUIRED';
}

interface Pending {
  call: ApprovedCall<unknown>;
  resolve: (result: Result<unknown>) => void;
  refusal: PosErrorBody;
}

const closedPad = {
  open: false,
  reason: null,
  detail: '',
  managerId: null,
  pin: '',
  error: null,
  errorDetail: '',
  submitting: false,
} as const;

/** The permission an approver's role needs for each kind of request (main checks the same). */
const approverPermission: Partial<Record<ApprovalReason, Permission>> = {
  price: 'price.override',
  'return-without-receipt': 'refund.without-receipt',
  'quick-add': 'catalog.quick-add',
  'no-sale': 'drawer.no-sale',
};

/**
 * Who may approve an action that needs `permission`: staff other than the requester whose role has
 * it (a requester whose role has it needs no approval: main lets them do it). The one rule for the
 * till's pad and the back office's over/short approval.
 */
export function approversWith(permission: Permission, staff: readonly StaffSummary[], requester: StaffSummary | null): StaffSummary[] {
  return staff.filter((s) => s.id !== requester?.id && s.permissions.includes(permission));
}

/**
 * Who is offered on the pad: staff whose role may do the action. For a discount, staff with a
 * higher limit than the requester's (or than the lowest on the roster when the requester is unknown).
 */
export function approversFor(reason: ApprovalReason, staff: StaffSummary[], requester: StaffSummary | null): StaffSummary[] {
  const permission = approverPermission[reason];
  if (permission) return approversWith(permission, staff, requester);
  const others = staff.filter((s) => s.id !== requester?.id);
  if (reason === 'discount' || reason === 'cart-discount') {
    const floor = requester?.discountLimitBasisPoints ?? Math.min(...staff.map((s) => s.discountLimitBasisPoints));
    return others.filter((s) => s.discountLimitBasisPoints > floor);
  }
  return others;
}

export function createApprovalStore(
  api: PosApi,
  options: { onFailure?: FailureHandler; currentStaff?: () => StaffSummary | null } = {},
): StoreApi<ApprovalState> {
  const onFailure = options.onFailure ?? (() => {});
  const currentStaff = options.currentStaff ?? (() => null);
  let pending: Pending | null = null;

  return createStore<ApprovalState>()((set, get) => {
    const finish = (result: Result<unknown>) => {
      const waiting = pending;
      pending = null;
      set(closedPad);
      waiting?.resolve(result);
    };

    const loadManagers = async (reason: ApprovalReason) => {
      set({ managersState: 'loading' });
      const result = await api['staff:list-for-login']({});
      if (!result.ok) {
        set({ managersState: 'failed' });
        onFailure(result.error);
        return;
      }
      const managers = approversFor(reason, result.value, currentStaff());
      // With one manager on the roster there is nothing to choose.
      set((s) => ({
        managers,
        managersState: 'ready',
        managerId: s.managerId ?? (managers.length === 1 ? (managers[0]?.id ?? null) : null),
      }));
    };

    return {
      ...closedPad,
      managers: [],
      managersState: 'idle',

      async withApproval<T>(reason: ApprovalReason, call: ApprovedCall<T>): Promise<Result<T>> {
        const first = await call();
        if (first.ok || first.error.code !== 'APPROVAL_REQUIRED') return first;
        // One pad at a time: a second request over the limit replaces the first, which backs out.
        if (pending) finish({ ok: false, error: pending.refusal });
        const refusal = first.error;
        const answer = new Promise<Result<T>>((resolve) => {
          pending = { call: call as ApprovedCall<unknown>, resolve: resolve as (result: Result<unknown>) => void, refusal };
        });
        set({ ...closedPad, open: true, reason, detail: refusal.message });
        void loadManagers(reason);
        return answer;
      },

      selectManager(staffId) {
        if (get().submitting) return;
        set({ managerId: staffId, pin: '', error: null, errorDetail: '' });
      },

      pressDigit(digit) {
        const { pin, submitting, managerId } = get();
        if (submitting || !/^[0-9]$/.test(digit)) return;
        if (managerId === null) {
          set({ error: 'CHOOSE_MANAGER' });
          return;
        }
        if (pin.length >= PIN_MAX_DIGITS) return;
        set({ pin: pin + digit, error: null, errorDetail: '' });
      },

      deleteDigit() {
        if (!get().submitting) set((s) => ({ pin: s.pin.slice(0, -1), error: null }));
      },

      clearPin() {
        if (!get().submitting) set({ pin: '', error: null });
      },

      async submit() {
        const { managerId, pin, submitting } = get();
        if (!pending || submitting) return;
        if (managerId === null) {
          set({ error: 'CHOOSE_MANAGER' });
          return;
        }
        if (pin.length < PIN_MIN_DIGITS) {
          set({ error: 'PIN_TOO_SHORT' });
          return;
        }
        const waiting = pending;
        set({ submitting: true, error: null, errorDetail: '' });
        const result = await waiting.call({ staffId: managerId, pin });
        if (pending !== waiting) return; // cancelled while main was checking
        const inPlace = result.ok ? undefined : inPlaceErrors[result.error.code];
        if (!result.ok && inPlace) {
          set({ submitting: false, pin: '', error: inPlace, errorDetail: result.error.message });
          return;
        }
        finish(result);
      },

      cancel() {
        if (pending) finish({ ok: false, error: pending.refusal });
      },
    };
  });
}
