/**
 * `ws`, loaded when the first WebSocket arrives rather than before the host prints its URL
 * (register-start). Its own module so a test can make the load fail.
 */
import type * as WebSocketModule from 'ws';

export const loadWebSocketModule = (): Promise<typeof WebSocketModule> => import('ws');
