/**
 * iconv-lite (Big5 and the other printer code systems), loaded the first time text is encoded or
 * decoded rather than when the drivers are imported: its tables are not needed before the first
 * print, and the kiosk host would otherwise load them at every start before it serves the till
 * (register-start).
 */
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';

const require = createRequire(import.meta.url);
let loaded: typeof Iconv | undefined;

export function iconv(): typeof Iconv {
  loaded ??= require('iconv-lite') as typeof Iconv;
  return loaded;
}
