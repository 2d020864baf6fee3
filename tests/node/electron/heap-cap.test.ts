import { describe, expect, it } from 'vitest';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import {
  HEAP_CAP_RELAUNCH_MARK,
  HEAP_CAP_SWITCH,
  SEMI_SPACE_FLAG,
  heapCapDecision,
  withHeapCap,
} from '../../../src/main/electron/heap-cap';
import { HOST_NODE_FLAGS } from '../../support/host-command.mjs';

describe('the desktop app’s semi-space cap', () => {
  it('is the kiosk host’s flag', () => {
    expect(HOST_NODE_FLAGS).toContain(SEMI_SPACE_FLAG);
  });

  it('a start from the desktop entry or autostart already has it: no relaunch', () => {
    expect(heapCapDecision(['--kiosk', HEAP_CAP_SWITCH], {})).toEqual({ kind: 'capped' });
    expect(heapCapDecision(['--js-flags=--expose-gc --max-semi-space-size=8'], {})).toEqual({ kind: 'capped' });
  });

  it('a start without it relaunches once with the same switches and the cap', () => {
    expect(heapCapDecision(['--kiosk', '--data-dir=D:\\Suanpan'], {})).toEqual({
      kind: 'relaunch',
      args: ['--kiosk', '--data-dir=D:\\Suanpan', HEAP_CAP_SWITCH],
    });
    expect(heapCapDecision([], {})).toEqual({ kind: 'relaunch', args: [HEAP_CAP_SWITCH] });
  });

  it('adds the cap to flags IT already passes to V8 instead of a second --js-flags', () => {
    expect(withHeapCap(['--js-flags=--expose-gc', '--kiosk'])).toEqual([`--js-flags=--expose-gc ${SEMI_SPACE_FLAG}`, '--kiosk']);
    expect(withHeapCap(['--js-flags='])).toEqual([`--js-flags=${SEMI_SPACE_FLAG}`]);
  });

  it('never loops: a relaunch that still lacks the cap runs uncapped', () => {
    expect(heapCapDecision(['--kiosk'], { [HEAP_CAP_RELAUNCH_MARK]: '1' })).toEqual({ kind: 'uncapped' });
  });

  it('the Linux desktop entry passes it', async () => {
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    expect(config.linux?.executableArgs).toEqual([HEAP_CAP_SWITCH]);
  });
});
