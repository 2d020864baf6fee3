/**
 * Electron's safeStorage as the sync token vault's codec (src/main/sync/token-vault.ts): the OS
 * keychain (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux) holds the key. On
 * Linux without a keyring safeStorage falls back to a fixed key ('basic_text'), which protects
 * nothing: then there is no codec and the token is a 0600 file, as on the kiosk host.
 * Call after app 'ready'.
 */
import { safeStorage } from 'electron';
import type { SecretCodec } from '../sync/token-vault';

export function safeStorageCodec(): SecretCodec | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
