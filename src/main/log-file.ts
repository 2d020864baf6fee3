/**
 * The register's log on disk: one JSON line per event in `<data>/logs/register.log`, rotated by
 * size (register.log → register.1.log … register.<maxFiles-1>.log, the oldest dropped), so IT can read
 * what happened without the folder filling the disk. Every entry passes through `redact` first: a
 * PIN, a token, a secret, card digits or a customer's phone never reach the file in full.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';

const SECRET_KEY = /pin|token|secret|pepper|passw|passphrase|pan$|card.?number|authorization|cookie|code$/i;
/** 13–19 digits, spaces or dashes between them allowed: card-number shaped. */
const CARD_DIGITS = /\b(?:\d[ -]?){12,18}\d\b/g;
/** Hong Kong phone numbers: 8 digits starting 2–9, optionally +852. */
const PHONE = /(?:\+?852[ -]?)?\b[2-9]\d{3}[ -]?\d{4}\b/g;

function maskDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  return `…${digits.slice(-4)}`;
}

/** A line of text fit for a log: card digits and phone numbers masked. */
export function redactString(text: string): string {
  return text.replace(CARD_DIGITS, maskDigits).replace(PHONE, (m) => `…${m.replace(/\D/g, '').slice(-2)}`);
}

/** A copy of `value` fit for a log: secret-named fields replaced, card digits and phones masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      // `pinFile`, `tokenPath`: where a secret is kept is not the secret.
      SECRET_KEY.test(key) && !/(File|Path|Dir)$/.test(key) ? '[redacted]' : redact(item, depth + 1),
    ]),
  );
}

export interface RotatingLogOptions {
  dir: string;
  maxBytes?: number;
  maxFiles?: number;
  /** Also written here (e.g. the console), redacted the same way. */
  also?: Logger;
}

export function logFilePath(dir: string, index = 0): string {
  return join(dir, index === 0 ? 'register.log' : `register.${index}.log`);
}

export function createRotatingLogger({ dir, maxBytes = 5 * 1024 * 1024, maxFiles = 5, also }: RotatingLogOptions): Logger {
  mkdirSync(dir, { recursive: true });
  let size = 0;
  try {
    size = statSync(logFilePath(dir)).size;
  } catch {
    size = 0;
  }
  const rotate = () => {
    rmSync(logFilePath(dir, maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 0; i--) {
      try {
        renameSync(logFilePath(dir, i), logFilePath(dir, i + 1));
      } catch {
        // not there yet
      }
    }
    size = 0;
  };
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    const safe = fields ? (redact(fields) as Record<string, unknown>) : undefined;
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, message: redactString(message), ...safe })}\n`;
    try {
      if (size + line.length > maxBytes && size > 0) rotate();
      appendFileSync(logFilePath(dir), line);
      size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written (disk full) never stops the register.
    }
    also?.[level](message, safe);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
