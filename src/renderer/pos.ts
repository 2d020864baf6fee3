/**
 * The only module that reads `window.pos`. Electron's preload or the kiosk host's web preload puts
 * it there before this bundle's app code runs; without it the page was not opened by the register.
 */
import type { PosApi } from '../shared/channels';

export function findPosApi(): PosApi | null {
  return window.pos ?? null;
}
