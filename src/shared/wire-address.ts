/**
 * Where the page finds the kiosk host's WebSocket and its secret, free of zod: the web preload runs
 * before the app's modules (src/renderer/boot.ts) and must stay small (register-start).
 */
export const SESSION_META_NAME = 'suanpan-session';
export const WS_PATH = '/ws';
