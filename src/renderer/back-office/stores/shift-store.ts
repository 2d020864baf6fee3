/**
 * 更 / 交更: the register's shift as main has it (with its count once the blind count is in), and
 * the calls that move it on: open with a float, move cash, count, close (with a manager's approval
 * beyond the tolerance), and the X report of the day so far.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { Approval } from '../../../shared/checkout-schemas';
import type { Result } from '../../../shared/errors';
import type { StaffSummary } from '../../../shared/schemas';
import type { CashMovementKind, CountResult, DayTotals, DenominationCount, ShiftCash, ShiftState } from '../../../shared/shift-schemas';
import { approversWith } from '../../stores/approval-store';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

/** What the section says after a success (translated by the section). */
export type ShiftNotice = 'moved' | 'printed';

export interface ShiftSectionState extends SectionData, ErrorLineState {
  /** Null until the first load answers. */
  state: ShiftState | null;
  /** The count of the open shift once it is in: the over/short, and what closing needs. */
  count: CountResult | null;
  /** The shift this visit closed. */
  closed: ShiftCash | null;
  x: DayTotals | null;
  /** Who may approve an over/short beyond the tolerance. */
  approvers: StaffSummary[];
  notice: ShiftNotice | null;
  openShift(float: DenominationCount): Promise<boolean>;
  moveCash(movement: { kind: CashMovementKind; amount: number; reason: string }): Promise<boolean>;
  submitCount(counted: DenominationCount): Promise<boolean>;
  /** Closes the counted shift; the reason when there is an over/short, the approval beyond the tolerance. */
  close(input: { reason?: string; approval?: Approval }): Promise<boolean>;
  loadApprovers(): Promise<void>;
  showX(): Promise<void>;
  printX(): Promise<void>;
}

export interface ShiftStoreOptions {
  /** The logged-in staff member: never offered as their own approver. */
  currentStaff: () => StaffSummary | null;
}

/** The shift as main has it, and its count when the blind count is already in. */
async function fetchShift(api: PosApi): Promise<Result<{ state: ShiftState; count: CountResult | null }>> {
  const answer = await api['shift:state']({});
  if (!answer.ok) return answer;
  if (!answer.value.shift || answer.value.shift.counted === null) return { ok: true, value: { state: answer.value, count: null } };
  const count = await api['shift:counted']({});
  return count.ok ? { ok: true, value: { state: answer.value, count: count.value } } : count;
}

export function createShiftStore(api: PosApi, options: ShiftStoreOptions): StoreApi<ShiftSectionState> {
  const loads = newestOnly();
  return createStore<ShiftSectionState>()((set, get) => ({
    state: null,
    count: null,
    closed: null,
    x: null,
    approvers: [],
    notice: null,
    error: null,

    async load() {
      const current = loads.begin();
      const answer = await fetchShift(api);
      if (!current()) return;
      if (answer.ok) set({ state: answer.value.state, count: answer.value.count });
      else set({ error: answer.error });
    },

    async openShift(float) {
      if (!accepted(await api['shift:open']({ float }), set)) return false;
      set({ closed: null });
      await get().load();
      return true;
    },

    async moveCash(movement) {
      if (!accepted(await api['shift:cash-movement'](movement), set)) return false;
      set({ notice: 'moved' });
      await get().load();
      return true;
    },

    async submitCount(counted) {
      const answer = await api['shift:count']({ counted });
      if (!accepted(answer, set)) return false;
      set({ count: answer.value });
      return true;
    },

    async close(input) {
      const answer = await api['shift:close'](input);
      if (!accepted(answer, set)) {
        // the over/short may have moved since the count was shown (a sale completed meanwhile): the
        // count as it is now asks for the reason or approval it needs; the refusal stays on the error line
        if (answer.error.code === 'CONFLICT' || answer.error.code === 'APPROVAL_REQUIRED') {
          const count = await api['shift:counted']({});
          if (count.ok && count.value) set({ count: count.value });
        }
        return false;
      }
      set({ closed: answer.value, count: null });
      await get().load();
      return true;
    },

    async loadApprovers() {
      const answer = await api['staff:list-for-login']({});
      if (answer.ok) set({ approvers: approversWith('day.close', answer.value, options.currentStaff()) });
    },

    async showX() {
      const answer = await api['report:x']({});
      if (accepted(answer, set)) set({ x: answer.value });
    },

    async printX() {
      if (accepted(await api['report:print-x']({}), set)) set({ notice: 'printed' });
    },
  }));
}
