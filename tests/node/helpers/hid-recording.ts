/** Recorded HID reports and a device that replays them: virtual HID devices cannot be created on our machines. */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { HidDeviceLike } from '../../../drivers/scanner';

/** Reports recorded as hex, one per line ('#' comments). */
export function readHexReports(file: URL): Buffer[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => Buffer.from(l.replace(/\s+/g, ''), 'hex'));
}

/** node-hid's HIDAsync as the scanner driver sees it. */
export class RecordedHidDevice extends EventEmitter implements HidDeviceLike {
  closed = false;
  close(): void {
    this.closed = true;
  }
  replay(rs: Buffer[]): void {
    for (const r of rs) this.emit('data', r);
  }
}
