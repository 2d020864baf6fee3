/**
 * Staff PINs: scrypt over HMAC(pepper, pin) with a per-PIN salt. Parameters follow OWASP's
 * password storage cheat sheet (N=2^14, r=8, p=5: 16 MiB, the same work as N=2^17, p=1) and are
 * stored in the hash, so they can be raised later without invalidating old PINs.
 * A PIN has few digits; the pepper (kept outside the database) is what stops an offline guess
 * against a stolen register.db, and the lockout is what stops guessing at the till.
 */
import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
const KEY_BYTES = 32;

function scrypt(secret: Buffer, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, KEY_BYTES, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function peppered(pin: string, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper).update(pin, 'utf8').digest();
}

export async function hashPin(pin: string, pepper: Buffer): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(peppered(pin, pepper), salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string, pepper: Buffer): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(peppered(pin, pepper), Buffer.from(saltB64, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
