import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDisplayPeer, startSocatPair, type DisplayPeer, type SocatPair } from '../../../drivers/emulators';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { DisplayStatus } from '../../../src/shared/customer-display-schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import { untilDeviceState } from './device-test-kit';

// The real register, the real serialport package and real ptys from socat: the display's bytes are
// read at the far end of the pair and decoded by the display emulator.
const MILK_TEA = '4891234000012'; // 港式奶茶 HK Milk Tea HK$18.00
const WATER = '4891234000050'; // 蒸餾水 HK$8.00

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
// Registered after the cleanups above, so each register closes before its display's pty goes.
const openRegister = useDemoRegisters();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function till(options: { idleAfterMs?: number } = {}) {
  const pair = await startSocatPair();
  cleanups.push(() => pair.kill());
  const peer = await openDisplayPeer(pair.peerPath, 'epson');
  cleanups.push(() => peer.close());
  // A manager sells and may also read the display's state (hardware.setup).
  const { reg: register, call } = await openRegister({
    staff: DEMO_MANAGER,
    config: {
      customerDevices: {
        displayUri: `serial://${pair.devicePath}?baud=9600`,
        idleAfterMs: options.idleAfterMs ?? 60_000,
        backoff: { initialMs: 20, maxMs: 100 },
      },
    },
  });
  const untilState = (state: DisplayStatus['state']) => untilDeviceState<DisplayStatus>(call, 'display:status', state);
  await untilState('connected');
  return { pair, peer, register, call, untilState };
}

/** Epson frames start with "US $ 1 1" (cursor to column 1, row 1). */
function countEpsonFrames(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(Buffer.from([0x1f, 0x24, 1, 1])); i >= 0; i = bytes.indexOf(Buffer.from([0x1f, 0x24, 1, 1]), i + 1)) count++;
  return count;
}

describe('pole display feed through the register', () => {
  it('shows the idle message, each item and its price, the total on the payment screen, the change, then idle again', async () => {
    const { peer, call } = await till({ idleAfterMs: 300 });
    expect(await peer.waitFor((l) => l[0].startsWith('WELCOME'))).toEqual(['WELCOME'.padEnd(20), ' '.repeat(20)]);

    await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(await peer.waitFor((l) => l[0].startsWith('HK Milk Tea'))).toEqual(['HK Milk Tea'.padEnd(20), '1 x HK$18.00'.padStart(20)]);
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const [waterLine] = await peer.waitFor((l) => !l[0].startsWith('HK Milk Tea') && !l[0].startsWith('WELCOME'));
    expect(waterLine.trim()).toBe(cart.lines[1]!.nameEn.slice(0, 20).trim());

    await call('customer:show-total');
    expect(await peer.waitFor((l) => l[0].startsWith('TOTAL'))).toEqual(['TOTAL' + ' '.repeat(7) + 'HK$26.00', ' '.repeat(20)]);

    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 2600, tendered: 10000 }] });
    expect(receipt.change).toBe(7400);
    expect(await peer.waitFor((l) => l[1].startsWith('CHANGE'))).toEqual([
      'TOTAL' + ' '.repeat(7) + 'HK$26.00',
      'CHANGE' + ' '.repeat(6) + 'HK$74.00',
    ]);
    // The till loads its next, empty cart at once; the change stays up until the idle timer.
    await call<Cart>('cart:get');
    expect(peer.lines()[1]).toContain('HK$74.00');
    expect(await peer.waitFor((l) => l[0].startsWith('WELCOME'))).toEqual(['WELCOME'.padEnd(20), ' '.repeat(20)]);
  });

  for (const profile of ['cd5220', 'logic-controls'] as const) {
    it(`speaks the ${profile} command set when the hardware screen chooses it`, async () => {
      const { pair, peer: epsonPeer, register, call, untilState } = await till();
      await epsonPeer.close();
      const status = await call<DisplayStatus>('display:configure', {
        uri: `serial://${pair.devicePath}?baud=9600`,
        profile,
        idleMessage: 'WELCOME',
      });
      expect(status.config.profile).toBe(profile);
      // The change is audited with who made it, before and after.
      const db = new Database(register.dbFile, { readonly: true });
      const entry = db
        .prepare("SELECT staff_id, detail FROM audit_log WHERE kind = 'hardware.changed' AND subject = 'customer-display'")
        .get() as { staff_id: number; detail: string };
      db.close();
      expect(entry.staff_id).toBe(DEMO_MANAGER.id);
      expect(JSON.parse(entry.detail)).toMatchObject({ before: { profile: 'epson' }, after: { profile } });
      await untilState('connected');
      const peer = await openDisplayPeer(pair.peerPath, profile);
      cleanups.push(() => peer.close());
      await call<Cart>('cart:scan', { code: MILK_TEA });
      expect(await peer.waitFor((l) => l[0].startsWith('HK Milk Tea'))).toEqual(['HK Milk Tea'.padEnd(20), '1 x HK$18.00'.padStart(20)]);
    });
  }

  it('a burst of 50 scans puts only the last few frames on the wire, ending on the last scan', async () => {
    const { peer, call } = await till();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    await peer.waitFor((l) => l[0].startsWith('HK Milk Tea'));
    const before = countEpsonFrames(peer.received());
    await Promise.all(Array.from({ length: 50 }, () => call<Cart>('cart:scan', { code: MILK_TEA })));
    expect(await peer.waitFor((l) => l[1].trim() === '51 x HK$18.00')).toEqual(['HK Milk Tea'.padEnd(20), '51 x HK$18.00'.padStart(20)]);
    await pause(200); // anything still pending would arrive now
    const frames = countEpsonFrames(peer.received()) - before;
    expect(frames).toBeGreaterThanOrEqual(1);
    expect(frames).toBeLessThanOrEqual(3);
  });

  it('unplugged: checkout carries on and the state says disconnected; replugged: it shows the current text again', async () => {
    const { pair, peer, call, untilState } = await till();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    await peer.waitFor((l) => l[0].startsWith('HK Milk Tea'));

    await peer.close();
    await pair.kill();
    const down = await untilState('disconnected');
    expect(down.error).not.toBeNull();

    // The sale completes while the display is gone; its change is what the display should show.
    const cart = await call<Cart>('cart:scan', { code: WATER });
    await call('customer:show-total');
    const receipt = await call<Receipt>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: cart.total, tendered: 5000 }],
    });
    expect(receipt.receiptNo).toMatch(/-\d+$/);
    expect((await call<DisplayStatus>('display:status')).lines).toEqual([
      'TOTAL' + ' '.repeat(7) + 'HK$26.00',
      'CHANGE' + ' '.repeat(6) + 'HK$24.00',
    ]);

    const again: SocatPair = await startSocatPair({ devicePath: pair.devicePath, peerPath: pair.peerPath });
    cleanups.push(() => again.kill());
    const replugged: DisplayPeer = await openDisplayPeer(again.peerPath, 'epson');
    cleanups.push(() => replugged.close());
    await untilState('connected');
    expect(await replugged.waitFor((l) => l[1].startsWith('CHANGE'))).toEqual([
      'TOTAL' + ' '.repeat(7) + 'HK$26.00',
      'CHANGE' + ' '.repeat(6) + 'HK$24.00',
    ]);
  });

  it('refuses a display URI that does not parse, and keeps the one it had', async () => {
    const { call } = await till();
    const before = await call<DisplayStatus>('display:status');
    const refused = await (async () => {
      try {
        await call('display:configure', { uri: 'serail:///dev/ttyUSB0', profile: 'epson', idleMessage: 'WELCOME' });
        return null;
      } catch (error) {
        return String(error);
      }
    })();
    expect(refused).toMatch(/^Error: DEVICE_URI_INVALID: .*serial/);
    expect((await call<DisplayStatus>('display:status')).config).toEqual(before.config);
  });
});
