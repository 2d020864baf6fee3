import { decodeChinese, type CodeSystem } from './chinese-text';

/**
 * Turns ESC/POS bytes back into a readable transcript: printed text lines as text, commands as
 * bracketed markers (`[bold on]`, `[cut partial]`, `[drawer pin2 on=100ms off=200ms]`,
 * `[qr "…"]`, `[raster 576x30]`). Tests assert receipts through it, the printer emulator shows
 * captured jobs with it, and support can read a captured job file with it.
 *
 * A marker that arrives mid-line is written inline; otherwise it gets its own line. Bytes the
 * decoder does not understand show as `[unknown …]` / `[?XX]` rather than vanishing, so a test
 * sees a stray byte.
 */
export interface DecodeOptions {
  readonly codeSystem: CodeSystem;
  /** 'fs-ampersand': bytes >= 0x80 are Chinese only between FS & and FS . ; 'none': always (printers fixed in Chinese mode). */
  readonly chineseMode: 'fs-ampersand' | 'none';
}

const ALIGN = ['left', 'center', 'right'] as const;
const BARCODE_NAMES: Record<number, string> = {
  65: 'upc-a',
  66: 'upc-e',
  67: 'ean13',
  68: 'ean8',
  69: 'code39',
  70: 'itf',
  71: 'codabar',
  72: 'code93',
  73: 'code128',
};
const QR_ECC: Record<number, string> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

export function decodeEscPos(input: Uint8Array, options: DecodeOptions): string {
  const bytes = input;
  const lines: string[] = [];
  let text = '';
  let chinese = false;
  let i = 0;
  const barcode = { height: 162, width: 3, hri: 0 };
  const qr = { model: 2, module: 3, ecc: 'L', data: new Uint8Array(0) };

  const marker = (m: string): void => {
    if (text === '') lines.push(`[${m}]`);
    else text += `[${m}]`;
  };
  const flushLine = (): void => {
    lines.push(text);
    text = '';
  };
  const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
  /** Reads n parameter bytes after the command at i (command length `at`), or marks truncation. */
  const params = (at: number, n: number, name: string): number[] | null => {
    if (i + at + n > bytes.length) {
      marker(`truncated ${name}`);
      i = bytes.length;
      return null;
    }
    const p = Array.from(bytes.subarray(i + at, i + at + n));
    i += at + n;
    return p;
  };

  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      flushLine();
      i++;
    } else if (b === 0x0d) {
      i++;
    } else if (b >= 0x20 && b < 0x7f) {
      text += String.fromCharCode(b);
      i++;
    } else if (b >= 0x80) {
      const inChinese = options.codeSystem !== 'none' && (chinese || options.chineseMode === 'none');
      if (inChinese && i + 1 < bytes.length) {
        text += decodeChinese(bytes.subarray(i, i + 2), options.codeSystem as Exclude<CodeSystem, 'none'>);
        i += 2;
      } else {
        text += `[?${hex(b)}]`;
        i++;
      }
    } else if (b === 0x1b) {
      decodeEsc();
    } else if (b === 0x1d) {
      decodeGs();
    } else if (b === 0x1c) {
      decodeFs();
    } else if (b === 0x10) {
      decodeDle();
    } else {
      marker(`ctrl ${hex(b)}`);
      i++;
    }
  }
  if (text !== '') lines.push(text);
  return lines.join('\n');

  function decodeEsc(): void {
    const c = bytes[i + 1];
    if (c === undefined) return void params(1, 1, 'ESC');
    switch (c) {
      case 0x40:
        i += 2;
        chinese = false;
        return marker('init');
      case 0x61: {
        const p = params(2, 1, 'ESC a');
        if (p) marker(`align ${ALIGN[p[0]! % 48] ?? `?${p[0]}`}`);
        return;
      }
      case 0x45: {
        const p = params(2, 1, 'ESC E');
        if (p) marker(`bold ${p[0]! & 1 ? 'on' : 'off'}`);
        return;
      }
      case 0x21: {
        const p = params(2, 1, 'ESC !');
        if (p) marker(`print-mode 0x${hex(p[0]!)}`);
        return;
      }
      case 0x64: {
        const p = params(2, 1, 'ESC d');
        if (p) marker(`feed ${p[0]}`);
        return;
      }
      case 0x4a: {
        const p = params(2, 1, 'ESC J');
        if (p) marker(`feed ${p[0]} dots`);
        return;
      }
      case 0x70: {
        const p = params(2, 3, 'ESC p');
        if (p) marker(`drawer pin${p[0]! & 1 ? 5 : 2} on=${p[1]! * 2}ms off=${p[2]! * 2}ms`);
        return;
      }
      case 0x74: {
        const p = params(2, 1, 'ESC t');
        if (p) marker(`codepage ${p[0]}`);
        return;
      }
      case 0x32:
        i += 2;
        return marker('line-spacing default');
      case 0x33: {
        const p = params(2, 1, 'ESC 3');
        if (p) marker(`line-spacing ${p[0]} dots`);
        return;
      }
      case 0x2d: {
        const p = params(2, 1, 'ESC -');
        if (p) marker(`underline ${p[0]! % 48}`);
        return;
      }
      case 0x4d: {
        const p = params(2, 1, 'ESC M');
        if (p) marker(`font ${p[0]! % 48 === 0 ? 'A' : 'B'}`);
        return;
      }
      default:
        i += 2;
        return marker(`unknown ESC ${hex(c)}`);
    }
  }

  function decodeGs(): void {
    const c = bytes[i + 1];
    if (c === undefined) return void params(1, 1, 'GS');
    switch (c) {
      case 0x21: {
        const p = params(2, 1, 'GS !');
        if (p) marker(`size ${(p[0]! >> 4) + 1}x${(p[0]! & 15) + 1}`);
        return;
      }
      case 0x56: {
        const m = bytes[i + 2];
        if (m === undefined) return void params(2, 1, 'GS V');
        if (m === 65 || m === 66) {
          const p = params(2, 2, 'GS V');
          if (p) marker(`cut ${m === 65 ? 'full' : 'partial'} feed=${p[1]}`);
          return;
        }
        i += 3;
        return marker(`cut ${m % 48 === 0 ? 'full' : 'partial'}`);
      }
      case 0x48: {
        const p = params(2, 1, 'GS H');
        if (p) barcode.hri = p[0]! % 48;
        return;
      }
      case 0x68: {
        const p = params(2, 1, 'GS h');
        if (p) barcode.height = p[0]!;
        return;
      }
      case 0x77: {
        const p = params(2, 1, 'GS w');
        if (p) barcode.width = p[0]!;
        return;
      }
      case 0x6b:
        return decodeBarcode();
      case 0x28:
        return decodeGsParen();
      case 0x76:
        return decodeRaster();
      default:
        i += 2;
        return marker(`unknown GS ${hex(c)}`);
    }
  }

  function decodeBarcode(): void {
    const m = bytes[i + 2];
    if (m === undefined) return void params(2, 1, 'GS k');
    let data: number[];
    if (m >= 65) {
      const n = bytes[i + 3];
      if (n === undefined) return void params(3, 1, 'GS k');
      const p = params(4, n, 'GS k');
      if (!p) return;
      data = p;
    } else {
      const end = bytes.indexOf(0, i + 3);
      if (end < 0) return void params(3, bytes.length, 'GS k');
      data = Array.from(bytes.subarray(i + 3, end));
      i = end + 1;
    }
    let s = String.fromCharCode(...data);
    if (m === 73) s = s.replace(/^\{[ABC]/, '').replace(/\{\{/g, '{');
    const hri = barcode.hri === 0 ? 'none' : barcode.hri === 1 ? 'above' : barcode.hri === 2 ? 'below' : 'both';
    marker(`barcode ${BARCODE_NAMES[m] ?? `m=${m}`} ${JSON.stringify(s)} height=${barcode.height} module=${barcode.width} hri=${hri}`);
  }

  function decodeGsParen(): void {
    const fnByte = bytes[i + 2];
    const pL = bytes[i + 3];
    const pH = bytes[i + 4];
    if (fnByte === undefined || pL === undefined || pH === undefined) return void params(2, 3, 'GS (');
    const len = pL + pH * 256;
    const p = params(5, len, `GS ( ${String.fromCharCode(fnByte)}`);
    if (!p) return;
    if (fnByte !== 0x6b || p[0] !== 49) return marker(`unknown GS ( ${String.fromCharCode(fnByte)}`);
    switch (p[1]) {
      case 65:
        qr.model = p[2]! - 48;
        return;
      case 67:
        qr.module = p[2]!;
        return;
      case 69:
        qr.ecc = QR_ECC[p[2]!] ?? '?';
        return;
      case 80:
        qr.data = Uint8Array.from(p.slice(3));
        return;
      case 81:
        return marker(`qr ${JSON.stringify(Buffer.from(qr.data).toString('utf8'))} module=${qr.module} ecc=${qr.ecc}`);
      default:
        return marker(`unknown qr fn ${p[1]}`);
    }
  }

  function decodeRaster(): void {
    if (bytes[i + 2] !== 0x30) {
      i += 2;
      return marker('unknown GS v');
    }
    const head = bytes.subarray(i + 4, i + 8);
    if (head.length < 4) return void params(3, 5, 'GS v 0');
    const x = head[0]! + head[1]! * 256;
    const y = head[2]! + head[3]! * 256;
    if (!params(8, x * y, 'GS v 0')) return;
    marker(`raster ${x * 8}x${y}`);
  }

  function decodeFs(): void {
    const c = bytes[i + 1];
    if (c === undefined) return void params(1, 1, 'FS');
    switch (c) {
      case 0x26:
        chinese = true;
        i += 2;
        return;
      case 0x2e:
        chinese = false;
        i += 2;
        return;
      case 0x43: {
        const p = params(2, 1, 'FS C');
        if (p) marker(`kanji-code ${p[0]! % 48}`);
        return;
      }
      case 0x21: {
        const p = params(2, 1, 'FS !');
        if (p) marker(`kanji-mode 0x${hex(p[0]!)}`);
        return;
      }
      default:
        i += 2;
        return marker(`unknown FS ${hex(c)}`);
    }
  }

  function decodeDle(): void {
    const c = bytes[i + 1];
    if (c === 0x04) {
      const p = params(2, 1, 'DLE EOT');
      if (p) marker(`status-request ${p[0]}`);
      return;
    }
    if (c === 0x14) {
      const fn = bytes[i + 2];
      if (fn === 1) {
        const p = params(3, 2, 'DLE DC4');
        if (p) marker(`drawer-realtime pin${p[0]! & 1 ? 5 : 2} on=${p[1]! * 100}ms off=${p[1]! * 100}ms`);
        return;
      }
      const p = params(2, 3, 'DLE DC4');
      if (p) marker(`unknown DLE DC4 ${p.join(' ')}`);
      return;
    }
    if (c === 0x05) {
      const p = params(2, 1, 'DLE ENQ');
      if (p) marker(`realtime-request ${p[0]}`);
      return;
    }
    marker('ctrl 10');
    i++;
  }
}
