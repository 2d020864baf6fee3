/** Frames on the kiosk host's WebSocket. Electron IPC carries the same requests and results. */
import { z } from 'zod';
import type { Result } from './errors';
import type { PosEvent } from './channels';

/** Above this a request is answered PAYLOAD_TOO_LARGE and never dispatched. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Above this the socket is closed with 1009; nothing a register sends comes near it. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export const RequestFrame = z.object({
  id: z.number().int().min(0).max(2 ** 31),
  channel: z.string().max(128),
  payload: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export type ResponseFrame = { id: number | null; result: Result<unknown> };
export type EventFrame = PosEvent;
export type ServerFrame = ResponseFrame | EventFrame;

export const SESSION_META_NAME = 'suanpan-session';
export const WS_PATH = '/ws';
