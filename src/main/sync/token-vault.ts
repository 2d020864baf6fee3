/**
 * Where the register's cloud token is kept: never in register.db (a copied database must not carry
 * it), never in a log. Under Electron it is encrypted with safeStorage (the OS keychain's key) and
 * the ciphertext is written to secrets/cloud-token.enc; on the kiosk host, or when safeStorage is
 * not available, it is written as is to secrets/cloud-token. Either file is 0600 in a 0700 folder.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron's safeStorage, injected so this module never imports 'electron'. */
export interface SecretCodec {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface TokenVault {
  readonly storage: 'safe-storage' | 'file';
  read(): string | null;
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

export function createTokenVault(dataDir: string, codec?: SecretCodec): TokenVault {
  const dir = join(dataDir, 'secrets');
  const plainFile = join(dir, 'cloud-token');
  const encryptedFile = join(dir, 'cloud-token.enc');
  const prepare = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const clear = () => {
    rmSync(plainFile, { force: true });
    rmSync(encryptedFile, { force: true });
  };
  if (codec) {
    return {
      storage: 'safe-storage',
      read() {
        const cipher = readOrNull(encryptedFile);
        return cipher === null ? null : codec.decrypt(cipher);
      },
      write(token) {
        prepare();
        writePrivate(encryptedFile, codec.encrypt(token));
        rmSync(plainFile, { force: true });
      },
      clear,
    };
  }
  return {
    storage: 'file',
    read() {
      const plain = readOrNull(plainFile);
      return plain === null ? null : plain.toString('utf8').trim() || null;
    },
    write(token) {
      prepare();
      writePrivate(plainFile, token);
    },
    clear,
  };
}
