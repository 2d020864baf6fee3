/**
 * Bearer tokens and enrolment codes. Only their sha256 is stored: both are high-entropy random
 * values, so a fast hash is enough (a slow KDF protects guessable secrets like PINs, not these),
 * and a lookup by hash stays one index probe.
 */
import { createHash, randomBytes } from 'node:crypto';

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
