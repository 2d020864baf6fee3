/**
 * Who is at the till: the staff list for the login screen, the PIN being typed and the logged-in
 * staff member. The PIN lives here only until it is sent; it is cleared on every answer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { StaffSummary } from '../../shared/schemas';
import type { FailureHandler, LoadState } from './load-state';

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;

export type LoginError = 'CHOOSE_STAFF' | 'PIN_TOO_SHORT' | 'PIN_INVALID' | 'LOCKED_OUT' | 'FAILED';

export interface SessionState {
  staff: StaffSummary | null;
  staffList: StaffSummary[];
  staffListState: LoadState;
  selectedStaffId: number | null;
  pin: string;
  loginError: LoginError | null;
  loggingIn: boolean;
  loadStaffList(): Promise<void>;
  selectStaff(staffId: number): void;
  pressDigit(digit: string): void;
  deleteDigit(): void;
  /** Esc on the pad: clears the PIN, or with nothing typed, the chosen name. */
  clearPin(): void;
  submitPin(): Promise<void>;
  logout(): Promise<void>;
  /** Main says who is logged in (start-up status, a status event, or a lost session). */
  staffChanged(staff: StaffSummary | null): void;
}

export interface SessionStoreOptions {
  onFailure?: FailureHandler;
}

const emptyPad = { selectedStaffId: null, pin: '', loginError: null, loggingIn: false } as const;

export function createSessionStore(api: PosApi, options: SessionStoreOptions = {}): StoreApi<SessionState> {
  const onFailure = options.onFailure ?? (() => {});

  return createStore<SessionState>()((set, get) => ({
    staff: null,
    staffList: [],
    staffListState: 'idle',
    ...emptyPad,

    async loadStaffList() {
      if (get().staffListState === 'loading') return;
      set({ staffListState: 'loading' });
      const result = await api['staff:list-for-login']({});
      if (result.ok) {
        const { selectedStaffId } = get();
        const stillListed = result.value.some((s) => s.id === selectedStaffId);
        set({ staffList: result.value, staffListState: 'ready', ...(stillListed ? {} : { selectedStaffId: null, pin: '' }) });
      } else {
        set({ staffListState: 'failed' });
        onFailure(result.error);
      }
    },

    selectStaff(staffId) {
      if (get().loggingIn) return;
      set({ selectedStaffId: staffId, pin: '', loginError: null });
    },

    pressDigit(digit) {
      const { pin, selectedStaffId, loggingIn } = get();
      if (loggingIn || !/^[0-9]$/.test(digit)) return;
      if (selectedStaffId === null) {
        set({ loginError: 'CHOOSE_STAFF' });
        return;
      }
      if (pin.length >= PIN_MAX_DIGITS) return;
      set({ pin: pin + digit, loginError: null });
    },

    deleteDigit() {
      if (get().loggingIn) return;
      set((s) => ({ pin: s.pin.slice(0, -1), loginError: null }));
    },

    clearPin() {
      if (get().loggingIn) return;
      if (get().pin === '') set({ selectedStaffId: null, loginError: null });
      else set({ pin: '', loginError: null });
    },

    async submitPin() {
      const { selectedStaffId, pin, loggingIn } = get();
      if (loggingIn) return;
      if (selectedStaffId === null) {
        set({ loginError: 'CHOOSE_STAFF' });
        return;
      }
      if (pin.length < PIN_MIN_DIGITS) {
        set({ loginError: 'PIN_TOO_SHORT' });
        return;
      }
      set({ loggingIn: true, loginError: null });
      const result = await api['staff:login']({ staffId: selectedStaffId, pin });
      if (result.ok) {
        set({ staff: result.value, ...emptyPad });
        return;
      }
      const { code } = result.error;
      // Keep the chosen name so the cashier only retypes the PIN.
      set({ pin: '', loggingIn: false, loginError: code === 'PIN_INVALID' || code === 'LOCKED_OUT' ? code : 'FAILED' });
      if (code !== 'PIN_INVALID' && code !== 'LOCKED_OUT') onFailure(result.error);
    },

    async logout() {
      if (get().staff === null) return;
      const result = await api['staff:logout']({});
      // NOT_LOGGED_IN means main already ended the session: the outcome the cashier asked for.
      if (result.ok || result.error.code === 'NOT_LOGGED_IN') set({ staff: null, ...emptyPad });
      else onFailure(result.error);
    },

    staffChanged(staff) {
      const current = get().staff;
      if (current?.id === staff?.id) {
        if (staff && current !== staff) set({ staff });
        return;
      }
      set({ staff, ...emptyPad });
    },
  }));
}
