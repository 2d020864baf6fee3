import { afterEach, describe, expect, it } from 'vitest';
import { openDisplayPeer, startSocatPair } from '../../../drivers/emulators';
import { showOnDisplayOnce } from '../../../src/main/devices/display-check';

// `npm run devices -- display`: one write to a real pty with the real serialport package.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('devices display check', () => {
  it('writes both lines in the chosen command set and reports what the display shows', async () => {
    const pair = await startSocatPair();
    cleanups.push(() => pair.kill());
    const peer = await openDisplayPeer(pair.peerPath, 'logic-controls');
    cleanups.push(() => peer.close());
    const shown = await showOnDisplayOnce({
      uri: `serial://${pair.devicePath}?baud=9600`,
      profile: 'logic-controls',
      line1: 'SUANPAN TEST',
      line2: 'HK$12,345.50',
    });
    expect(shown.lines).toEqual(['SUANPAN TEST'.padEnd(20), 'HK$12,345.50'.padEnd(20)]);
    expect(await peer.waitFor((l) => l[1].startsWith('HK$'))).toEqual(['SUANPAN TEST'.padEnd(20), 'HK$12,345.50'.padEnd(20)]);
  });

  it('a port that does not exist is DEVICE_FAILED; a bad URI or profile is refused before opening anything', async () => {
    await expect(
      showOnDisplayOnce({ uri: 'serial:///dev/suanpan-no-such-port', profile: 'epson', line1: 'a', line2: 'b' }),
    ).rejects.toMatchObject({ code: 'DEVICE_FAILED', message: expect.stringContaining('/dev/suanpan-no-such-port') });
    await expect(showOnDisplayOnce({ uri: 'serail://x', profile: 'epson', line1: 'a', line2: 'b' })).rejects.toMatchObject({
      code: 'DEVICE_URI_INVALID',
    });
    await expect(showOnDisplayOnce({ uri: 'serial:///dev/ttyUSB0', profile: 'vfd', line1: 'a', line2: 'b' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('cd5220'),
    });
  });
});
