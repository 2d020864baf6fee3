import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayCommandSet } from '../../../drivers/display/command-sets';
import { formatDisplayLine, formatHkd } from '../../../drivers/display/display-text';
import { createPoleDisplay, type PoleDisplayState } from '../../../drivers/display/pole-display';
import { openDisplayPeer, type DisplayPeer } from '../../../drivers/emulators/display-peer';
import { startSocatPair, type SocatPair } from '../../../drivers/emulators/socat-pair';
import { openTransport } from '../../../drivers/transports/open-transport';
import type { Transport } from '../../../drivers/transports/transport';

// Real ptys from socat, the real serialport package on both ends.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(commandSet: DisplayCommandSet) {
  const states: PoleDisplayState[] = [];
  const stateWaiters: Array<{ state: PoleDisplayState; resolve: () => void }> = [];
  const onState = (state: PoleDisplayState): void => {
    states.push(state);
    for (const w of stateWaiters.filter((x) => x.state === state)) w.resolve();
  };
  const nextState = (state: PoleDisplayState): Promise<void> => new Promise((resolve) => stateWaiters.push({ state, resolve }));
  const pair = await startSocatPair();
  cleanups.push(() => pair.kill());
  const peer = await openDisplayPeer(pair.peerPath, commandSet);
  cleanups.push(() => peer.close());
  const writes: Uint8Array[] = [];
  const connect = async (): Promise<Transport> => {
    const t = await openTransport(`serial://${pair.devicePath}?baud=9600`);
    return {
      ...t,
      read: undefined,
      write: (b, o) => (writes.push(b), t.write(b, o)),
      close: () => t.close(),
      closed: t.closed,
      uri: t.uri,
    };
  };
  const display = createPoleDisplay({ commandSet, connect, backoff: { initialMs: 20, maxMs: 100 }, onStateChange: onState });
  cleanups.push(() => display.close());
  return { pair, peer, display, writes, states, nextState };
}

describe('pole display over a pty pair (socat)', () => {
  for (const commandSet of ['epson', 'cd5220', 'logic-controls'] as const) {
    it(`${commandSet}: shows item and price in 20 columns, ASCII only`, async () => {
      const { peer, display } = await rig(commandSet);
      await display.show(formatDisplayLine('港式奶茶 HK Milk Tea ×2', formatHkd(3600)), formatDisplayLine('TOTAL', formatHkd(9072)));
      expect(await peer.waitFor((l) => l[1].includes('HK$90.72'))).toEqual(['HK Milk Tea HK$36.00', 'TOTAL       HK$90.72']);
      await display.clear();
      expect(await peer.waitFor((l) => l[0].trim() === '' && l[1].trim() === '')).toEqual([' '.repeat(20), ' '.repeat(20)]);
    });
  }

  it('coalesces a burst of 100 updates into at most 3 writes, ending on the last frame', async () => {
    const { peer, display, writes } = await rig('epson');
    await display.show('ready', '');
    await peer.waitFor((l) => l[0].startsWith('ready'));
    const before = writes.length;
    let last: Promise<void> = Promise.resolve();
    for (let k = 1; k <= 100; k++)
      last = display.show(formatDisplayLine(`Item ${k}`, formatHkd(k * 100)), formatDisplayLine('Items', String(k)));
    await last;
    expect(writes.length - before).toBeLessThanOrEqual(3);
    expect(await peer.waitFor((l) => l[0].startsWith('Item 100'))).toEqual(['Item 100   HK$100.00', 'Items            100']);
  });

  it('unplugged (socat killed) and replugged (socat restarted on the same paths): the display gets the current frame again', async () => {
    const { pair, peer, display, states, nextState } = await rig('cd5220');
    await display.show('Welcome', 'Suanpan');
    await peer.waitFor((l) => l[0].startsWith('Welcome'));

    const disconnected = nextState('disconnected');
    await peer.close();
    await pair.kill();
    await disconnected;
    void display.show('TOTAL', formatHkd(1234550)); // while unplugged: kept, not queued

    const again: SocatPair = await startSocatPair({ devicePath: pair.devicePath, peerPath: pair.peerPath });
    cleanups.push(() => again.kill());
    const newPeer: DisplayPeer = await openDisplayPeer(again.peerPath, 'cd5220');
    cleanups.push(() => newPeer.close());
    expect(await newPeer.waitFor((l) => l[1].includes('HK$'))).toEqual(['TOTAL'.padEnd(20), 'HK$12,345.50'.padEnd(20)]);
    expect(states).toEqual(['connected', 'disconnected', 'connected']);
    expect(display.current()).toEqual(['TOTAL'.padEnd(20), 'HK$12,345.50'.padEnd(20)]);
  });

  it('a bad URI is an immediate typed error, not a reconnect loop', () => {
    expect(() => createPoleDisplay({ commandSet: 'epson', uri: 'serial://ttyUSB0' })).toThrow(
      expect.objectContaining({ code: 'DEVICE_URI_INVALID' }),
    );
  });
});
