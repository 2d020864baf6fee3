/**
 * A minimal zip writer (PKWARE APPNOTE 6.3, no zip64): each file deflated with node:zlib (or stored
 * when deflate does not make it smaller), UTF-8 names (flag bit 11), CRC-32 from zlib. Enough for a
 * diagnostics bundle that `unzip`, Windows Explorer and Python's zipfile open; nothing to install.
 */
import { crc32, deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';

const deflateRawAsync = promisify(deflateRaw);

export interface ZipEntry {
  /** Path inside the archive, forward slashes, no leading slash or `..`. */
  name: string;
  data: Buffer | string;
  modifiedAt?: Date;
}

const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate, folders
const MADE_BY_UNIX = (3 << 8) | VERSION;
const MAX_32 = 0xffff_ffff;

/** MS-DOS date and time (local fields, 2-second resolution), as zip stores them. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function checkName(name: string): Buffer {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..'))
    throw new Error(`zip entry name not allowed: ${JSON.stringify(name)}`);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0xffff) throw new Error('zip entry name too long');
  return bytes;
}

/** The archive as one buffer. Deflating runs on libuv's pool, so a large log does not hold up the till. */
export async function zipFiles(entries: readonly ZipEntry[]): Promise<Buffer> {
  if (entries.length > 0xffff) throw new Error('too many zip entries (no zip64)');
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`duplicate zip entry ${entry.name}`);
    seen.add(entry.name);
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const deflated = await deflateRawAsync(raw);
    const stored = deflated.length >= raw.length;
    const body = stored ? raw : deflated;
    if (raw.length > MAX_32 || offset + body.length > MAX_32) throw new Error('zip too large (no zip64)');
    const crc = crc32(raw) >>> 0;
    const when = dosDateTime(entry.modifiedAt ?? new Date());
    const method = stored ? 0 : 8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(when.time, 10);
    local.writeUInt16LE(when.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(when.time, 12);
    central.writeUInt16LE(when.date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra 30, comment 32, disk 34, internal attributes 36: all 0
    central.writeUInt32LE(((0o100644 << 16) >>> 0) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
