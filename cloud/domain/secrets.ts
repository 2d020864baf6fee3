/**
 * Bearer tokens and enrolment codes (and, last, secrets the cloud must use again: sealed, not
 * hashed). Only the sha256 of a token or code is stored: both are high-entropy random values, so a fast hash is enough (a slow KDF protects guessable secrets like PINs, not these),
 * and a lookup by hash stays one index probe.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: what a register sends as `Authorization: Bearer <token>`. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

// Crockford base32: no I, L, O, U, so a code read aloud or typed on a counter PC survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12; // 60 bits

/** A one-time enrolment code IT types on the register, e.g. `7KQ2-M9XD-4TRB`. */
export function newEnrolmentCode(): string {
  // 256 is a multiple of 32, so `byte & 31` is uniform.
  const chars = [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** What a person may type for a code: any case, spaces or dashes, O for 0 and I or L for 1. */
export function normaliseEnrolmentCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// Secrets the cloud must use again (a mall's SFTP password or private key) cannot be hashed: they
// are sealed with the server's own key (SUANPAN_SECRET_KEY, 32 random bytes in base64, from the
// environment, never in the database), so a copy of the database alone does not give them away.

/** The secret key was not given, or is not 32 bytes. */
export class SecretKeyError extends Error {}

/** 32 bytes from base64 (`openssl rand -base64 32`). */
export function parseSecretKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError('SUANPAN_SECRET_KEY must be 32 random bytes in base64 (openssl rand -base64 32)');
  return key;
}

export interface SecretBox {
  /** AES-256-GCM: version byte 1, 12-byte nonce, 16-byte tag, then the cipher text. */
  seal(plain: string): Buffer;
  /** The plain text, or an error when the box was sealed with another key or altered. */
  open(sealed: Buffer): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretKeyError('a secret key is 32 bytes');
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), nonce, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed.length < 29 || sealed[0] !== 1) throw new SecretKeyError('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('the secret was sealed with another SUANPAN_SECRET_KEY (or altered): enter it again');
      }
    },
  };
}
