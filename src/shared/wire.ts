/** Frames on the kiosk host's WebSocket. Electron IPC carries the same requests and results. */
import * as z from './zod';
import type { Result } from './errors';
import type { PosEvent } from './channels';

/**
 * The largest request frame. On the kiosk host's socket a bigger frame closes the connection with
 * 1009 (message too big) before it is parsed; the page reconnects. Nothing a register sends comes
 * near it (the largest, a receipt logo, is under 40 KiB).
 */
export const MAX_REQUEST_BYTES = 64 * 1024;

export const RequestFrame = z.object({
  id: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  channel: z.string().max(128),
  payload: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export type ResponseFrame = { id: number | null; result: Result<unknown> };
export type EventFrame = PosEvent;
export type ServerFrame = ResponseFrame | EventFrame;

export { SESSION_META_NAME, WS_PATH } from './wire-address';
