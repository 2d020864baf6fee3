/**
 * Electron's preload: exposes the closed `PosApi` as `window.pos` and nothing else. The page never
 * sees ipcRenderer, so it can reach only the channels the contract names.
 *
 * Runs sandboxed, where only 'electron' can be required: the build bundles everything else in.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PosApi, PosEvent } from '../shared/channels';
import type { Result } from '../shared/errors';
import { POS_EVENT_CHANNEL } from '../shared/channel-names';
import { createPosApi } from './create-pos-api';

const api = createPosApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Result<unknown>>,
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, posEvent: PosEvent) => listener(posEvent);
    ipcRenderer.on(POS_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(POS_EVENT_CHANNEL, forward);
    };
  },
}) satisfies PosApi;

contextBridge.exposeInMainWorld('pos', api);
