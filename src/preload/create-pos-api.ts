/**
 * Builds the closed `PosApi` object from a transport. Each channel in the contract becomes its own
 * method; there is no generic send, so the page can reach only what the contract names.
 */
import { channelNames } from '../shared/channel-names';
import type { PosApi, PosEvent } from '../shared/channels';
import type { Result } from '../shared/errors';

export interface PosTransport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: PosEvent) => void): () => void;
}

export function createPosApi(transport: PosTransport): PosApi {
  const api: Record<string, unknown> = {};
  for (const name of channelNames) {
    api[name] = (req: unknown) => transport.invoke(name, req);
  }
  api.onEvent = (listener: (event: PosEvent) => void) => transport.subscribe(listener);
  return Object.freeze(api) as PosApi;
}
