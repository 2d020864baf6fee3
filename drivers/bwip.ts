/**
 * bwip-js, loaded the first time something is drawn with it (a barcode, a QR code, a glyph of an
 * installed font) rather than when the drivers are imported: it is about 1 MB of JavaScript, which
 * the kiosk host would otherwise load at every start before it serves the till (with iconv-lite,
 * drivers/iconv.ts, about 30 ms of its CPU before it prints its URL: register-start).
 * One instance for all its users, so the fonts loaded into its FontLib are the ones they draw with.
 */
import { createRequire } from 'node:module';
import type BwipJs from 'bwip-js/node';

const require = createRequire(import.meta.url);
let loaded: typeof BwipJs | undefined;

export function bwipjs(): typeof BwipJs {
  loaded ??= require('bwip-js/node') as typeof BwipJs;
  return loaded;
}
