/**
 * The store's payment methods: the seven every Hong Kong register takes plus the store's own
 * (mall vouchers, a second card terminal …). Methods are never deleted, since past sales name
 * them; they are switched off. Cash is always on: change, rounding and the drawer depend on it.
 */
import { PosError } from '../../shared/errors';
import type { PaymentMethodSetting, SavePaymentMethod } from '../../shared/payment-method-schemas';
import type { StaffSummary } from '../../shared/schemas';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { paymentStoredValueKindOf } from '../../shared/stored-value';

export const BUILT_IN_METHODS: ReadonlySet<string> = new Set([
  'cash',
  'card',
  'octopus',
  'fps',
  'payme',
  'alipayhk',
  'wechatpay',
  // a member's points and store credit (issue 13): offered on the payment screen only with a member on the sale
  'member-points',
  'member-credit',
  // a gift card (issue 13): scanned on the payment screen, never a tender button
  'gift-card',
]);

interface MethodRow {
  code: string;
  name_zh: string;
  name_en: string;
  kind: PaymentMethodSetting['kind'];
  sort: number;
  active: number;
}

const toSetting = (row: MethodRow): PaymentMethodSetting => ({
  code: row.code,
  nameZh: row.name_zh,
  nameEn: row.name_en,
  kind: paymentStoredValueKindOf(row.code) ? 'stored-value' : row.kind,
  sort: row.sort,
  active: row.active === 1,
  builtIn: BUILT_IN_METHODS.has(row.code),
});

export function listAllPaymentMethods(db: Db): PaymentMethodSetting[] {
  // `deposit` (paid before an order's pickup) is written by the register itself, never offered as a tender.
  return prepared<[], MethodRow>(
    db,
    "SELECT code, name_zh, name_en, kind, sort, active FROM payment_method WHERE code <> 'deposit' ORDER BY sort, code",
  )
    .all()
    .map(toSetting);
}

function findMethod(db: Db, code: string): MethodRow | undefined {
  return prepared<[string], MethodRow>(db, 'SELECT code, name_zh, name_en, kind, sort, active FROM payment_method WHERE code = ?').get(
    code,
  );
}

export function createPaymentMethodAdmin({ db, audit }: { db: Db; audit: AuditLog }) {
  return {
    list: () => listAllPaymentMethods(db),

    /** Adds a method, or renames / switches one; a built-in method keeps its kind. */
    save(actor: StaffSummary, input: SavePaymentMethod): PaymentMethodSetting[] {
      if (input.code === 'deposit') throw new PosError('BAD_REQUEST', '`deposit` is kept for what orders paid before pickup');
      db.transaction(() => {
        const existing = findMethod(db, input.code);
        if (existing) {
          if (BUILT_IN_METHODS.has(existing.code) && existing.kind !== input.kind) {
            throw new PosError('BAD_REQUEST', `${existing.name_en} is built in; its kind stays ${existing.kind}`);
          }
          if (existing.kind === 'cash' && !input.active)
            throw new PosError('BAD_REQUEST', 'Cash cannot be switched off: change, rounding and the drawer depend on it');
          prepared(db, 'UPDATE payment_method SET name_zh = ?, name_en = ?, kind = ?, active = ? WHERE code = ?').run(
            input.nameZh,
            input.nameEn,
            existing.kind === 'cash' ? 'cash' : input.kind,
            input.active ? 1 : 0,
            input.code,
          );
        } else {
          const sort =
            (prepared(db, "SELECT coalesce(max(sort), 0) + 1 FROM payment_method WHERE code <> 'deposit'").pluck().get() as number) ?? 1;
          prepared(db, 'INSERT INTO payment_method (code, name_zh, name_en, kind, sort, active) VALUES (?, ?, ?, ?, ?, ?)').run(
            input.code,
            input.nameZh,
            input.nameEn,
            input.kind,
            sort,
            input.active ? 1 : 0,
          );
        }
        audit.append({
          kind: 'settings.changed',
          staffId: actor.id,
          subject: `payment_method:${input.code}`,
          detail: { before: existing ? toSetting(existing) : null, after: input },
        });
      }).immediate();
      return listAllPaymentMethods(db);
    },

    /** Moves a tender button one place earlier or later. */
    move(actor: StaffSummary, code: string, direction: 'up' | 'down'): PaymentMethodSetting[] {
      db.transaction(() => {
        const all = listAllPaymentMethods(db);
        const index = all.findIndex((m) => m.code === code);
        if (index < 0) throw new PosError('NOT_FOUND', `No payment method ${code}`);
        const other = all[direction === 'up' ? index - 1 : index + 1];
        if (!other) return;
        const order = all.map((m) => m.code);
        order[index] = other.code;
        order[direction === 'up' ? index - 1 : index + 1] = code;
        const setSort = prepared(db, 'UPDATE payment_method SET sort = ? WHERE code = ?');
        order.forEach((c, position) => setSort.run(position + 1, c));
        audit.append({ kind: 'settings.changed', staffId: actor.id, subject: `payment_method:${code}`, detail: { moved: direction } });
      }).immediate();
      return listAllPaymentMethods(db);
    },
  };
}

export type PaymentMethodAdmin = ReturnType<typeof createPaymentMethodAdmin>;
