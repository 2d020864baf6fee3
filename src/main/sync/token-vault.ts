/**
 * Where the register's cloud token is kept: never in register.db (a copied database must not carry
 * it), never in a log. Under Electron it is encrypted with safeStorage (the OS keychain's key) and
 * the ciphertext is written to secrets/cloud-token.enc; on the kiosk host, or when safeStorage is
 * not available, it is written as is to secrets/cloud-token. Either file is 0600 in a 0700 folder.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron's safeStorage, injected so this module never imports 'electron'. */
export interface SecretCodec {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface TokenVault {
  readonly storage: 'safe-storage' | 'file';
  read(): string | null;
  /**
   * Whether a token is there and reads (decrypts): what the status bar asks with every status.
   * The file is read and decrypted again only when it changed (another inode, size or time), so a
   * status costs one stat, not a read and a keychain decryption.
   */
  usable(): boolean;
  write(token: string): void;
  clear(): void;
}

function writePrivate(file: string, data: Buffer | string): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** What identifies one version of a file: a rename (how the token is written) makes another inode. */
function versionOf(file: string): string | null {
  const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
  return stat === undefined ? null : `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

export function createTokenVault(dataDir: string, codec?: SecretCodec): TokenVault {
  const dir = join(dataDir, 'secrets');
  const plainFile = join(dir, 'cloud-token');
  const encryptedFile = join(dir, 'cloud-token.enc');
  const file = codec ? encryptedFile : plainFile;
  const prepare = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const read = (): string | null => {
    const bytes = readOrNull(file);
    if (bytes === null) return null;
    return codec ? codec.decrypt(bytes) : bytes.toString('utf8').trim() || null;
  };
  /** usable()'s last answer and the version of the file it was for. */
  let checked: { version: string; usable: boolean } | null = null;
  return {
    storage: codec ? 'safe-storage' : 'file',
    read,
    usable() {
      const version = versionOf(file);
      if (version === null) return false;
      if (checked?.version !== version) {
        let usable: boolean;
        try {
          usable = read() !== null;
        } catch {
          usable = false;
        }
        checked = { version, usable };
      }
      return checked.usable;
    },
    write(token) {
      prepare();
      writePrivate(file, codec ? codec.encrypt(token) : token);
      if (codec) rmSync(plainFile, { force: true });
    },
    clear() {
      rmSync(plainFile, { force: true });
      rmSync(encryptedFile, { force: true });
    },
  };
}
