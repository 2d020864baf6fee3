/**
 * 職位及權限: the roles with their permissions and discount limits, each change saved as it is
 * made; custom roles added, renamed and deleted. Main answers every change with the whole list.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { Result } from '../../../shared/errors';
import { FULL_BASIS_POINTS, parseDecimal } from '../../../shared/money';
import type { Permission } from '../../../shared/permissions';
import type { RoleInfo, RoleInput } from '../../../shared/staff-schemas';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

const toInput = (role: RoleInfo): RoleInput => ({
  code: role.code,
  nameZh: role.nameZh,
  nameEn: role.nameEn,
  discountLimitBasisPoints: role.discountLimitBasisPoints,
  permissions: role.permissions,
});

/** A limit as its box shows it: 1000 basis points → "10". */
const limitText = (role: RoleInfo) => String(role.discountLimitBasisPoints / 100);

export interface RolesState extends SectionData, ErrorLineState {
  roles: RoleInfo[];
  /** The discount limit boxes, in percent as typed, by role code. */
  limits: Record<string, string>;
  setPermission(role: RoleInfo, permission: Permission, granted: boolean): Promise<boolean>;
  typeLimit(code: string, text: string): void;
  /** Saves the typed limit (0–100 %, to 0.01 %); anything else puts the saved limit back in the box. */
  saveLimit(role: RoleInfo): Promise<boolean>;
  /** Renames the role with this code, or adds it (selling only, no discount) when there is none. */
  saveName(draft: { code: string; nameZh: string; nameEn: string }): Promise<boolean>;
  remove(code: string): Promise<boolean>;
}

export function createRolesStore(api: PosApi): StoreApi<RolesState> {
  const loads = newestOnly();
  return createStore<RolesState>()((set, get) => {
    const take = (answer: Result<RoleInfo[]>): boolean => {
      if (!accepted(answer, set)) return false;
      set({ roles: answer.value, limits: Object.fromEntries(answer.value.map((r) => [r.code, limitText(r)])) });
      return true;
    };
    const save = async (input: RoleInput) => take(await api['roles:save'](input));

    return {
      roles: [],
      limits: {},
      error: null,

      async load() {
        const current = loads.begin();
        const answer = await api['roles:list']({});
        if (current()) take(answer);
      },

      setPermission: (role, permission, granted) =>
        save({
          ...toInput(role),
          permissions: granted ? [...role.permissions, permission] : role.permissions.filter((p) => p !== permission),
        }),

      typeLimit: (code, text) => set((s) => ({ limits: { ...s.limits, [code]: text } })),

      async saveLimit(role) {
        const basisPoints = parseDecimal(get().limits[role.code] ?? '', 2);
        if (basisPoints === null || basisPoints > FULL_BASIS_POINTS) {
          get().typeLimit(role.code, limitText(role));
          return false;
        }
        return basisPoints === role.discountLimitBasisPoints || save({ ...toInput(role), discountLimitBasisPoints: basisPoints });
      },

      async saveName(draft) {
        const existing = get().roles.find((r) => r.code === draft.code);
        const base: RoleInput = existing
          ? toInput(existing)
          : { code: draft.code.trim().toLowerCase(), nameZh: '', nameEn: '', discountLimitBasisPoints: 0, permissions: ['sale.checkout'] };
        return save({ ...base, nameZh: draft.nameZh.trim(), nameEn: draft.nameEn.trim() });
      },

      remove: async (code) => take(await api['roles:delete']({ code })),
    };
  });
}
