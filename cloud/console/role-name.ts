/** A role as the console names it. */
import type { Role } from '../hq/contract';
import type { Tr } from './i18n';

export function roleName(tr: Tr, role: Role): string {
  switch (role) {
    case 'owner':
      return tr('東主', 'Owner');
    case 'hq_manager':
      return tr('總部經理', 'HQ manager');
    case 'store_manager':
      return tr('分店經理', 'Store manager');
    default:
      return tr('檢視者', 'Viewer');
  }
}
