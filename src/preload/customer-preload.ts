/**
 * The customer screen's Electron preload: `window.pos` with the customer view and its event only.
 * Main refuses any other channel from this window too (src/main/host/customer-window-access.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PosApi, PosEvent } from '../shared/channels';
import type { Result } from '../shared/errors';
import { customerChannelNames, POS_EVENT_CHANNEL } from '../shared/channel-names';

type CustomerPosApi = Pick<PosApi, (typeof customerChannelNames)[number] | 'onEvent'>;

const api: Record<string, unknown> = {};
for (const name of customerChannelNames) api[name] = (req: unknown) => ipcRenderer.invoke(name, req) as Promise<Result<unknown>>;
api.onEvent = (listener: (event: PosEvent) => void) => {
  const forward = (_event: IpcRendererEvent, posEvent: PosEvent) => listener(posEvent);
  ipcRenderer.on(POS_EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(POS_EVENT_CHANNEL, forward);
  };
};

contextBridge.exposeInMainWorld('pos', Object.freeze(api) as CustomerPosApi);
