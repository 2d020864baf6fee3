/**
 * The catalogue as checkout uses it: what a scanned code means, name search, and the manager's
 * quick add of an item the shop sells but the catalogue lacks.
 */
import { PosError } from '../../shared/errors';
import type { Approval } from '../../shared/checkout-schemas';
import type { Product, StaffSummary } from '../../shared/schemas';
import type { Db } from '../db/open';
import type { StaffService } from '../staff/staff-service';
import type { AuditLog } from '../audit/audit-log';
import { approverFor } from '../checkout/approval';
import type { ResolvedScan } from '../checkout/resolve-scan';
import { lookupByCode, matchCode } from './lookup';
import { searchProducts } from './search';
import { lookupProduct } from './catalog-repo';
import { prepared } from '../db/prepared';

export interface QuickAddRequest {
  code: string;
  nameZh: string;
  nameEn: string;
  price: number;
  categoryCode: string | null;
  approval?: Approval;
}

export function createCatalogService(deps: { db: Db; staff: StaffService; audit: AuditLog }) {
  const { db, staff, audit } = deps;
  return {
    resolveScan(code: string): ResolvedScan {
      // By id only: the cart line reads the product once, for its snapshot.
      const found = matchCode(db, code);
      switch (found.kind) {
        case 'invalid':
          throw new PosError('BARCODE_INVALID', `Misread barcode (${found.reason}): scan again`);
        case 'not-found':
          throw new PosError('ITEM_NOT_FOUND', `No product has the code ${code}`);
        case 'product':
          return { productId: found.productId, weighed: false, embedded: false };
        case 'embedded':
          return found.valueKind === 'price'
            ? { productId: found.productId, unitPrice: found.value, weighed: false, embedded: true }
            : { productId: found.productId, quantity: found.value / 1000, weighed: true, embedded: true };
        default:
          throw new PosError('INTERNAL', 'Unexpected lookup result');
      }
    },

    search(text: string): Product[] {
      return searchProducts(db, text, { limit: 20 });
    },

    async quickAdd(actor: StaffSummary, req: QuickAddRequest): Promise<Product> {
      const existing = lookupByCode(db, req.code);
      if (existing.kind === 'invalid') throw new PosError('BARCODE_INVALID', `Misread barcode (${existing.reason}): scan again`);
      if (existing.kind !== 'not-found') throw new PosError('CONFLICT', `The code ${req.code} already belongs to a product`);
      const approvedBy = await approverFor(staff, actor, req.approval, { permission: 'catalog.quick-add' }, 'Adding a product');
      const sku = `QA-${req.code}`;
      db.transaction(() => {
        const productId = prepared(
          db,
          `INSERT INTO product (sku, category_id, name_zh, name_en, price)
             VALUES (:sku, (SELECT id FROM category WHERE code = :categoryCode), :nameZh, :nameEn, :price)`,
        ).run({ sku, categoryCode: req.categoryCode, nameZh: req.nameZh, nameEn: req.nameEn, price: req.price }).lastInsertRowid;
        prepared(db, 'INSERT INTO barcode (code, product_id) VALUES (:code, :productId)').run({ code: existing.code, productId });
        audit.append({
          kind: 'approval.granted',
          staffId: actor.id,
          approverId: approvedBy,
          subject: 'catalog.quick-add',
          detail: { sku, code: existing.code, price: req.price },
        });
      }).immediate();
      return lookupProduct(db, sku) as Product;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
