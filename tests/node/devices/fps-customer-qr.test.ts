/**
 * 轉數快 FPS on the customer screen and pole display, through the real register: the payee is set up
 * on the hardware channel (audited, bad input refused), choosing FPS publishes a dynamic QR for the
 * amount and the receipt number the sale then takes, and the pole display says SCAN FPS QR.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDisplayPeer, startSocatPair } from '../../../drivers/emulators';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { CustomerView, DisplayStatus, FpsQrView } from '../../../src/shared/customer-display-schemas';
import { decodeFpsQr } from '../../../src/shared/fps-qr';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import { untilDeviceState } from './device-test-kit';

const MILK_TEA = '4891234000012'; // HK$18.00
const WATER = '4891234000050'; // HK$8.00

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const openRegister = useDemoRegisters();

async function till() {
  const pair = await startSocatPair();
  cleanups.push(() => pair.kill());
  const peer = await openDisplayPeer(pair.peerPath, 'epson');
  cleanups.push(() => peer.close());
  const session = await openRegister({
    staff: DEMO_MANAGER,
    config: { customerDevices: { displayUri: `serial://${pair.devicePath}?baud=9600`, backoff: { initialMs: 20, maxMs: 100 } } },
  });
  await untilDeviceState<DisplayStatus>(session.call, 'display:status', 'connected');
  return { ...session, peer };
}

describe('FPS QR for the amount due', () => {
  it('shows the QR for the amount with the next receipt number, says SCAN FPS QR on the pole, and the sale takes that number', async () => {
    const { call, peer, reg } = await till();
    await call('customer:configure', { paymentQr: null, fps: { proxyType: 'fps-id', proxy: '1234567', merchantName: 'Suanpan' } });
    await call<Cart>('cart:scan', { code: MILK_TEA });
    const cart = await call<Cart>('cart:scan', { code: WATER });
    await call('customer:show-total');

    const shown = await call<FpsQrView>('customer:show-fps', { amount: 2600 });
    const view = await call<CustomerView>('customer:view');
    expect(view.phase).toBe('payment');
    expect(view.fpsQr).toEqual(shown);
    const decoded = decodeFpsQr(shown.payload);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({ dynamic: true, fpsId: '1234567', amount: 2600, currency: '344', billNumber: shown.billNumber });
    expect(await peer.waitFor((l) => l[0].startsWith('SCAN FPS QR'))).toEqual([
      'SCAN FPS QR'.padEnd(20),
      'PAY' + ' '.repeat(9) + 'HK$26.00',
    ]);

    // Back to the total when the cashier picks another method; then FPS again and the sale.
    await call('customer:show-total');
    expect((await call<CustomerView>('customer:view')).fpsQr).toBeNull();
    await call('customer:show-fps', { amount: 2600 });
    const receipt = await call<Receipt>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'fps', amount: 2600, tendered: 2600, reference: 'FPS123' }],
    });
    expect(receipt.receiptNo).toBe(shown.billNumber);
    expect((await call<CustomerView>('customer:view')).fpsQr).toBeNull();

    // The setup is audited like the rest of the hardware screen.
    const db = new Database(reg.dbFile, { readonly: true });
    const entry = db.prepare("SELECT detail FROM audit_log WHERE kind = 'hardware.changed' AND subject = 'customer-screen'").get() as {
      detail: string;
    };
    db.close();
    expect(JSON.parse(entry.detail)).toMatchObject({ after: { fps: { proxyType: 'fps-id', proxy: '1234567' } } });
  });

  it('without a payee there is no QR, only the total; a QR for more than is due is refused', async () => {
    const { call } = await till();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(await call('customer:show-fps', { amount: 1800 })).toBeNull();
    expect((await call<CustomerView>('customer:view')).phase).toBe('payment');
    await call('customer:configure', { paymentQr: null, fps: { proxyType: 'email', proxy: 'pay@example.com' } });
    await expect(call('customer:show-fps', { amount: 1801 })).rejects.toThrow(/BAD_REQUEST/);
    await expect(call('customer:show-fps', { amount: 0 })).rejects.toThrow(/BAD_REQUEST/);
    expect((await call<FpsQrView>('customer:show-fps', { amount: 1800 })).amount).toBe(1800);
  });

  it('refuses a bad payee with the reason, and a cashier may show the QR but not set the payee', async () => {
    const { call, as } = await till();
    await expect(call('customer:configure', { paymentQr: null, fps: { proxyType: 'fps-id', proxy: '12' } })).rejects.toThrow(/BAD_REQUEST/);
    await expect(call('customer:configure', { paymentQr: null, fps: { proxyType: 'mobile', proxy: '+86 13812345678' } })).rejects.toThrow(
      /BAD_REQUEST/,
    );
    await as(DEMO_CASHIER);
    await expect(call('customer:configure', { paymentQr: null, fps: { proxyType: 'fps-id', proxy: '1234567' } })).rejects.toThrow(
      /FORBIDDEN/,
    );
    await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(await call('customer:show-fps', { amount: 1800 })).toBeNull();
  });
});
