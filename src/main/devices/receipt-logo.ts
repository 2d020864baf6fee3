/**
 * The receipt's logo: a 1-bit PBM image kept in settings (so a backup of register.db carries it),
 * printed centred above the store's name and shrunk to fit 58 mm paper. IT sets it on the hardware
 * screen; the demo shop has an abacus (assets/demo/logo.pbm, scripts/make-demo-logo.mjs).
 */
import { z } from 'zod';
import { fitToWidth, parsePbm, PbmError, type Bitmap } from '../../../drivers/escpos';
import { PosError } from '../../shared/errors';
import type { Db } from '../db/open';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { prepared } from '../db/prepared';

const KEY = 'hardware.receiptLogo';
/** 80 mm paper is 576 dots wide; a taller logo wastes paper on every receipt. */
export const LOGO_MAX = { width: 576, height: 400 } as const;

const StoredLogo = z.object({ pbm: z.string().min(1) });
const StoredLogoOrNone = StoredLogo.nullable();

export interface LogoInfo {
  width: number;
  height: number;
}

let cache: { text: string; bitmap: Bitmap } | null = null;

function decode(base64: string): Bitmap {
  let bitmap: Bitmap;
  try {
    bitmap = parsePbm(Buffer.from(base64, 'base64'));
  } catch (error) {
    if (error instanceof PbmError) throw new PosError('BAD_REQUEST', error.message);
    throw error;
  }
  if (bitmap.width > LOGO_MAX.width || bitmap.height > LOGO_MAX.height) {
    throw new PosError(
      'BAD_REQUEST',
      `The logo is ${bitmap.width}×${bitmap.height} dots; at most ${LOGO_MAX.width}×${LOGO_MAX.height} (80 mm paper)`,
    );
  }
  return bitmap;
}

/** The logo as stored, or null; a stored value that no longer parses is left out, never fails a receipt. */
export function readReceiptLogo(db: Db): Bitmap | null {
  const stored = readSetting(db, KEY, StoredLogoOrNone, null);
  if (!stored) return null;
  if (cache?.text === stored.pbm) return cache.bitmap;
  try {
    cache = { text: stored.pbm, bitmap: decode(stored.pbm) };
    return cache.bitmap;
  } catch {
    return null;
  }
}

/** The logo for a paper `dots` wide. */
export function receiptLogoFor(db: Db, dots: number): Bitmap | null {
  const logo = readReceiptLogo(db);
  return logo ? fitToWidth(logo, dots) : null;
}

/** Checks and stores a PBM (base64), or removes the logo with null. */
export function saveReceiptLogo(db: Db, pbmBase64: string | null): LogoInfo | null {
  if (pbmBase64 === null) {
    prepared(db, 'DELETE FROM setting WHERE key = ?').run(KEY);
    return null;
  }
  const bitmap = decode(pbmBase64);
  writeSetting(db, KEY, { pbm: pbmBase64 });
  return { width: bitmap.width, height: bitmap.height };
}

export function receiptLogoInfo(db: Db): LogoInfo | null {
  const logo = readReceiptLogo(db);
  return logo ? { width: logo.width, height: logo.height } : null;
}
