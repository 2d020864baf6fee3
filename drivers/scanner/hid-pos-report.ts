import { DriverError } from '../driver-error';
import { aimSymbologyName } from './aim-symbology';

/**
 * HID POS barcode scanner reports (USB HID Point of Sale Usage Tables 1.02, usage page 0x8C,
 * Scanned Data Report; byte layout as the Honeywell, Zebra and Access-IS manuals give it):
 *
 *   [report id 0x02]  only when the device numbers its reports (hidraw then passes it along)
 *   byte 0            length of the data in this report (0..56)
 *   bytes 1..3        AIM symbology identifier, e.g. "]E0"
 *   bytes 4..59       decoded data, zero padded
 *   byte 60           vendor's own symbology id
 *   byte 61           reserved
 *   byte 62, bit 0    "decoded data continued": more reports follow for this scan
 *
 * A barcode longer than 56 bytes (a QR code with a URL) arrives as several reports; only the
 * first carries a meaningful symbology id.
 */
export const HID_POS_DATA_BYTES = 56;
const HEADER = 4;
const CONTINUED_AT = 62;

export interface HidPosReport {
  readonly length: number;
  readonly aim: string;
  readonly data: Uint8Array;
  readonly continued: boolean;
}

export class HidReportError extends DriverError {
  readonly code = 'HID_REPORT_INVALID';
}

/** Parses one input report; returns null for reports with another report id (not scanned data). */
export function parseHidPosReport(report: Uint8Array, reportId: number | null = 0x02): HidPosReport | null {
  let r = report;
  if (reportId !== null) {
    if (r[0] !== reportId) return null;
    r = r.subarray(1);
  }
  if (r.length < HEADER) throw new HidReportError(`HID POS report too short: ${report.length} bytes`);
  const length = r[0]!;
  if (length > HID_POS_DATA_BYTES || HEADER + length > r.length)
    throw new HidReportError(`HID POS report claims ${length} data bytes in a ${report.length}-byte report`);
  return {
    length,
    aim: String.fromCharCode(r[1]!, r[2]!, r[3]!),
    data: r.slice(HEADER, HEADER + length),
    continued: r.length > CONTINUED_AT && (r[CONTINUED_AT]! & 0x01) === 1,
  };
}

export interface Scan {
  /** The decoded data as text (UTF-8; barcodes are mostly ASCII). */
  readonly text: string;
  readonly bytes: Uint8Array;
  /** AIM identifier ("]E0") when the scanner sent one, and its symbology name. */
  readonly aim: string | null;
  readonly symbology: string | null;
  readonly source: 'hid-pos' | 'keyboard';
}

/** Longest scan we assemble: a full QR code is under 3 KB; anything beyond is a stuck continuation flag. */
const MAX_SCAN_BYTES = 8192;

/** Joins continued reports into scans. */
export function createHidPosAssembler(reportId: number | null = 0x02) {
  let parts: Uint8Array[] = [];
  let size = 0;
  let aim = '';
  return {
    /** Returns the finished scan, or null while more reports are expected. */
    push(report: Uint8Array): Scan | null {
      const parsed = parseHidPosReport(report, reportId);
      if (parsed === null) return null;
      if (parts.length === 0) aim = parsed.aim;
      parts.push(parsed.data);
      size += parsed.data.length;
      if (size > MAX_SCAN_BYTES) {
        parts = [];
        size = 0;
        throw new HidReportError(`HID POS scan exceeds ${MAX_SCAN_BYTES} bytes (continuation flag never cleared)`);
      }
      if (parsed.continued) return null;
      const bytes = Buffer.concat(parts);
      parts = [];
      size = 0;
      if (bytes.length === 0) return null;
      const validAim = aimSymbologyName(aim) !== null ? aim : null;
      return {
        text: new TextDecoder('utf-8').decode(bytes),
        bytes: Uint8Array.from(bytes),
        aim: validAim,
        symbology: validAim === null ? null : aimSymbologyName(validAim),
        source: 'hid-pos',
      };
    },
    reset(): void {
      parts = [];
      size = 0;
    },
  };
}
