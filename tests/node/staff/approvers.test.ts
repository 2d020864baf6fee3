import { describe, expect, it } from 'vitest';
import { approversFor } from '../../../src/renderer/stores/approval-store';
import type { StaffSummary } from '../../../src/shared/schemas';

const person = (id: number, role: string, permissions: StaffSummary['permissions'], discountLimitBasisPoints: number): StaffSummary => ({
  id,
  code: `S${id}`,
  nameZh: `員工${id}`,
  nameEn: `Staff ${id}`,
  role,
  roleNameZh: role,
  roleNameEn: role,
  permissions,
  discountLimitBasisPoints,
});

const cashier = person(1, 'cashier', ['sale.checkout', 'refund.with-receipt'], 1000);
const supervisor = person(2, 'supervisor', ['sale.checkout', 'price.override'], 2000);
const manager = person(3, 'manager', ['sale.checkout', 'price.override', 'refund.without-receipt', 'catalog.quick-add'], 10_000);
const roster = [cashier, supervisor, manager];

describe('who the manager PIN pad offers', () => {
  it('offers the staff whose role may do the action, never the requester', () => {
    expect(approversFor('price', roster, cashier).map((s) => s.id)).toEqual([2, 3]);
    expect(approversFor('return-without-receipt', roster, cashier).map((s) => s.id)).toEqual([3]);
    expect(approversFor('quick-add', roster, supervisor).map((s) => s.id)).toEqual([3]);
  });

  it('offers, for a discount, staff with a higher limit than the requester', () => {
    expect(approversFor('discount', roster, cashier).map((s) => s.id)).toEqual([2, 3]);
    expect(approversFor('cart-discount', roster, supervisor).map((s) => s.id)).toEqual([3]);
    expect(approversFor('discount', roster, null).map((s) => s.id)).toEqual([2, 3]);
  });
});
