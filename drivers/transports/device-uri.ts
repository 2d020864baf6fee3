import { DriverError } from '../driver-error';

/**
 * Device URIs, the one string IT types for each device (DESIGN.md section 6):
 *
 *   tcp://10.0.0.20:9100            network printer (port defaults to 9100, the raw/JetDirect port)
 *   serial:///dev/ttyUSB0?baud=9600  serial port (Windows: serial://COM3?baud=9600); also
 *                                    databits=7|8, parity=none|even|odd, stopbits=1|2, flow=none|rtscts|xonxoff
 *   usb://04b8:0202                 USB printer class device by vendor:product id (Linux usblp)
 *   spooler://EPSON_TM_T88          OS print queue, sent raw
 *   file:///var/tmp/receipt.bin     a file or device node (/dev/usb/lp0), appended to
 *   hid://05e0:1200                 HID scanner (opened by the scanner driver, not a Transport)
 *
 * Parsed by hand rather than with WHATWG URL: that parser lower-cases and percent-decodes hosts
 * differently per scheme and its errors ("Invalid URL") say nothing IT can act on.
 */
export type DeviceUri =
  | { readonly scheme: 'tcp'; readonly host: string; readonly port: number }
  | {
      readonly scheme: 'serial';
      readonly path: string;
      readonly baudRate: number;
      readonly dataBits: 7 | 8;
      readonly parity: 'none' | 'even' | 'odd';
      readonly stopBits: 1 | 2;
      readonly flow: 'none' | 'rtscts' | 'xonxoff';
    }
  | { readonly scheme: 'usb' | 'hid'; readonly vendorId: number; readonly productId: number }
  | { readonly scheme: 'spooler'; readonly name: string }
  | { readonly scheme: 'file'; readonly path: string };

export type DeviceScheme = DeviceUri['scheme'];

export class DeviceUriError extends DriverError {
  readonly code = 'DEVICE_URI_INVALID';

  constructor(
    readonly uri: string,
    readonly reason: string,
  ) {
    super(`invalid device URI "${uri}": ${reason}`);
  }
}

export const SUPPORTED_SCHEMES: readonly DeviceScheme[] = ['tcp', 'serial', 'usb', 'spooler', 'file', 'hid'];

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

export function parseDeviceUri(uri: string): DeviceUri {
  const bad = (reason: string): never => {
    throw new DeviceUriError(uri, reason);
  };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(uri.trim());
  if (m === null) return bad(`expected scheme://…, for example tcp://10.0.0.20:9100 (schemes: ${SUPPORTED_SCHEMES.join(', ')})`);
  const scheme = m[1]!.toLowerCase();
  const [rest, query] = splitQuery(m[2]!);
  const params = parseQuery(query, bad);
  const allowParams = (allowed: readonly string[]): void => {
    for (const key of params.keys())
      if (!allowed.includes(key))
        bad(`unknown parameter "${key}" for ${scheme}://${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`);
  };

  switch (scheme) {
    case 'tcp': {
      allowParams([]);
      const hm = /^(\[[0-9A-Fa-f:.]+\]|[^:/\s[\]]+)?(?::([^/]*))?\/?$/.exec(rest);
      if (hm === null) return bad('expected tcp://host:port');
      const host = hm[1];
      if (host === undefined || host === '') return bad('missing host, for example tcp://10.0.0.20:9100');
      const port = hm[2] === undefined ? 9100 : parsePort(hm[2], bad);
      return { scheme, host: host.replace(/^\[|\]$/g, ''), port };
    }
    case 'serial': {
      allowParams(['baud', 'databits', 'parity', 'stopbits', 'flow']);
      if (rest === '' || rest === '/') return bad('missing port, for example serial:///dev/ttyUSB0?baud=9600 or serial://COM3');
      const path = /^COM\d+$/i.test(rest)
        ? rest.toUpperCase()
        : rest.startsWith('/')
          ? decodePart(rest, bad)
          : bad('expected an absolute device path (serial:///dev/ttyUSB0) or a Windows port (serial://COM3)');
      const baudText = params.get('baud') ?? '9600';
      const baudRate = Number(baudText);
      if (!BAUD_RATES.includes(baudRate)) bad(`baud must be one of ${BAUD_RATES.join(', ')}, got "${baudText}"`);
      const dataBits = oneOf(params.get('databits') ?? '8', ['7', '8'], 'databits', bad);
      const parity = oneOf(params.get('parity') ?? 'none', ['none', 'even', 'odd'], 'parity', bad);
      const stopBits = oneOf(params.get('stopbits') ?? '1', ['1', '2'], 'stopbits', bad);
      const flow = oneOf(params.get('flow') ?? 'none', ['none', 'rtscts', 'xonxoff'], 'flow', bad);
      return { scheme, path, baudRate, dataBits: Number(dataBits) as 7 | 8, parity, stopBits: Number(stopBits) as 1 | 2, flow };
    }
    case 'usb':
    case 'hid': {
      allowParams([]);
      const im = /^([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})\/?$/.exec(rest);
      if (im === null)
        return bad(`expected ${scheme}://vvvv:pppp with 4-digit hex vendor and product ids, for example ${scheme}://04b8:0202`);
      return { scheme, vendorId: parseInt(im[1]!, 16), productId: parseInt(im[2]!, 16) };
    }
    case 'spooler': {
      allowParams([]);
      const name = decodePart(rest.replace(/\/$/, ''), bad);
      if (name === '') return bad('missing printer queue name, for example spooler://EPSON_TM_T88');
      if (!/^[^\s/\\#?"']+$/.test(name)) return bad(`queue name "${name}" may not contain spaces, slashes, quotes, # or ?`);
      return { scheme, name };
    }
    case 'file': {
      allowParams([]);
      // file:///var/x (empty host), or file:///C:/x on Windows; a host part is not supported.
      const drive = /^\/?([A-Za-z]:[\\/].*)$/s.exec(rest);
      const path = drive !== null ? decodePart(drive[1]!, bad) : rest.startsWith('/') ? decodePart(rest, bad) : null;
      if (path === null || path === '/')
        return bad('expected an absolute path, for example file:///var/tmp/receipt.bin or file:///dev/usb/lp0');
      return { scheme, path };
    }
    default:
      return bad(`unknown scheme "${scheme}"; supported: ${SUPPORTED_SCHEMES.join(', ')}`);
  }
}

/** The canonical text form, for settings and logs. */
export function formatDeviceUri(d: DeviceUri): string {
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  switch (d.scheme) {
    case 'tcp':
      return `tcp://${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;
    case 'serial': {
      const extra = [
        d.dataBits !== 8 ? `databits=${d.dataBits}` : '',
        d.parity !== 'none' ? `parity=${d.parity}` : '',
        d.stopBits !== 1 ? `stopbits=${d.stopBits}` : '',
        d.flow !== 'none' ? `flow=${d.flow}` : '',
      ].filter((s) => s !== '');
      return `serial://${d.path}?baud=${d.baudRate}${extra.map((e) => `&${e}`).join('')}`;
    }
    case 'usb':
    case 'hid':
      return `${d.scheme}://${hex(d.vendorId)}:${hex(d.productId)}`;
    case 'spooler':
      return `spooler://${d.name}`;
    case 'file':
      return d.path.startsWith('/') ? `file://${d.path}` : `file:///${d.path}`;
  }
}

function decodePart(text: string, bad: (reason: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return bad(`malformed percent-encoding in "${text}"`);
  }
}

function splitQuery(s: string): [string, string] {
  const q = s.indexOf('?');
  return q < 0 ? [s, ''] : [s.slice(0, q), s.slice(q + 1)];
}

function parseQuery(query: string, bad: (reason: string) => never): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) bad(`malformed parameter "${part}", expected key=value`);
    const key = part.slice(0, eq).toLowerCase();
    if (params.has(key)) bad(`parameter "${key}" given twice`);
    params.set(key, decodePart(part.slice(eq + 1), bad));
  }
  return params;
}

function parsePort(text: string, bad: (reason: string) => never): number {
  if (!/^\d{1,5}$/.test(text)) return bad(`port must be a number 1..65535, got "${text}"`);
  const port = Number(text);
  if (port < 1 || port > 65535) return bad(`port must be 1..65535, got ${port}`);
  return port;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string, bad: (reason: string) => never): T {
  if (!(allowed as readonly string[]).includes(value)) bad(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
