/** Channel → handler. Handlers are plain functions of (validated request, context); no transport here. */
import type { Db } from '../db/open';
import type { Handlers } from './router';
import type { StaffService } from '../staff/staff-service';
import type { RegisterStatus } from '../../shared/schemas';
import { lookupProduct, listFavourites } from '../catalog/catalog-repo';

export interface HandlerDeps {
  db: Db;
  staff: StaffService;
  status: () => RegisterStatus;
}

export function createHandlers({ db, staff, status }: HandlerDeps): Handlers {
  return {
    'register:status': () => status(),
    'staff:list-for-login': () => staff.listForLogin(),
    'staff:login': (req) => staff.login(req.staffId, req.pin),
    'staff:logout': () => {
      staff.logout();
      return null;
    },
    'catalog:lookup': (req) => lookupProduct(db, req.code),
    'catalog:favourites': () => listFavourites(db),
  };
}
