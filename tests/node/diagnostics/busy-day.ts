/**
 * A busy day at a demo register whose log is the rotating file IT reads: logins with PINs (right
 * and wrong), manager approvals, card sales with last-4, member look-ups and an enrolment by phone,
 * a backup passphrase and a cloud token on disk. The diagnostics tests grep what it leaves behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { RegisterSession } from '../helpers/register-session';

export const MILK_TEA = '4891234000012';
export const WATER = '4891234000050';

/** Distinctive values, so a grep cannot mistake a timestamp or a price for them. */
export const SECRETS = {
  cashierPin: '730519',
  managerPin: '864207',
  wrongPin: '551302',
  token: 'tok_live_9fQx2LwZk8mR4vTnB7yC',
  passphrase: 'Correct-Horse-Battery-42',
  memberPhone: '61357924',
  demoMemberPhone: '91234567',
  cardNumber: '4111111111111111',
} as const;

const CASHIER = 1;
const MANAGER = 3;

export async function driveBusyDay(session: RegisterSession, sales = 40): Promise<Receipt[]> {
  const { call, reg } = session;
  // The manager sets new PINs for a cashier and for themself, and a backup passphrase; the register is enrolled (token on disk).
  await session.as({ id: MANAGER, pin: '9999' });
  const staff = await call<{ id: number; code: string; nameZh: string; nameEn: string; role: string; active: boolean }[]>('staff:list');
  for (const [id, pin] of [
    [CASHIER, SECRETS.cashierPin],
    [MANAGER, SECRETS.managerPin],
  ] as const) {
    const s = staff.find((row) => row.id === id)!;
    await call('staff:save', { id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, role: s.role, active: s.active, pin });
  }
  await call('backup:set-passphrase', { passphrase: SECRETS.passphrase });
  reg.sync.vault.write(SECRETS.token);
  await call('staff:logout');

  // A wrong PIN, then the right one.
  const wrong = await reg.dispatch('staff:login', { staffId: CASHIER, pin: SECRETS.wrongPin });
  if (wrong.ok) throw new Error('a wrong PIN logged in');
  await session.as({ id: CASHIER, pin: SECRETS.cashierPin });

  const receipts: Receipt[] = [];
  for (let i = 0; i < sales; i++) {
    let cart = await call<Cart>('cart:scan', { code: i % 2 === 0 ? MILK_TEA : WATER });
    if (i % 10 === 3) {
      // a price change needs the manager's PIN on the pad
      cart = await call<Cart>('cart:set-price', {
        lineId: cart.lines[0]!.id,
        unitPrice: 500,
        approval: { staffId: MANAGER, pin: SECRETS.managerPin },
      });
    }
    if (i % 10 === 5) {
      const found = await call<{ member: { code: string } | null }>('member:find', { query: SECRETS.demoMemberPhone });
      if (found.member) cart = await call<Cart>('cart:set-member', { code: found.member.code });
    }
    // A card number typed where the last four go is refused, never stored or logged.
    const refused = await reg.dispatch('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'card', amount: cart.total, approvalCode: 'A1', cardLast4: SECRETS.cardNumber }],
    });
    if (refused.ok) throw new Error('a full card number was accepted');
    const tenders =
      i % 3 === 0
        ? [{ method: 'card', amount: cart.total, approvalCode: `AP${i}`, cardLast4: '4242' }]
        : [{ method: 'cash', amount: cart.total, tendered: cart.total + 1000 }];
    receipts.push(await call<Receipt>('sale:complete', { cartId: cart.id, tenders }));
  }
  await call('member:enrol', { name: '張小芬', phone: SECRETS.memberPhone, email: null, birthMonth: 5, marketingConsent: true });
  await call('member:find', { query: `+852 ${SECRETS.memberPhone.slice(0, 4)} ${SECRETS.memberPhone.slice(4)}` });
  await call('staff:logout');
  return receipts;
}

/** Every secret of the busy day, and every file in secrets/, in the forms it could take. */
export function secretForms(secretsDir: string): string[] {
  const forms: string[] = [
    SECRETS.cashierPin,
    SECRETS.managerPin,
    SECRETS.wrongPin,
    SECRETS.token,
    SECRETS.passphrase,
    SECRETS.memberPhone,
    `${SECRETS.memberPhone.slice(0, 4)} ${SECRETS.memberPhone.slice(4)}`,
    SECRETS.demoMemberPhone,
    SECRETS.cardNumber,
  ];
  for (const name of readdirSync(secretsDir)) {
    const bytes = readFileSync(join(secretsDir, name));
    forms.push(bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'));
    // key files written as text (the backup key's JSON, the token): every long word in them
    for (const word of bytes.toString('latin1').match(/[A-Za-z0-9+/=_-]{16,}/g) ?? []) forms.push(word);
  }
  return forms;
}
