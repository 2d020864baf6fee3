/**
 * Carries the contract's channels over Electron IPC. The sender is checked here; the payload and
 * the staff member's permission are checked by `register.dispatch`, which knows nothing of Electron.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { channelNames, POS_EVENT_CHANNEL } from '../../shared/channel-names';
import { fail, type Result } from '../../shared/errors';
import type { Logger } from '../log';
import type { Register } from '../register-types';
import { isAllowedAppUrl, isTrustedSender, type IpcSender } from './security';
import { dispatchInScope, windowReceives } from '../host/customer-window-access';

/** Main → renderer events; the preload listens on the same name. */

export interface IpcBridge {
  /** Lets the main frame of this web contents call the register and receive its events. */
  trust(contents: WebContents): void;
  /** The customer screen: may read the customer view and receive its event, nothing else. */
  trustCustomer(contents: WebContents): void;
  /** Stops answering and forwarding; the register is closed by its owner. */
  close(): void;
}

function describeSender(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id };
}

export function createIpcBridge(register: Register, log: Logger): IpcBridge {
  const trusted = new Map<number, WebContents>();
  const customers = new Map<number, WebContents>();

  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, payload: unknown): Promise<Result<unknown>> | Result<never> => {
      const sender = describeSender(event);
      if (isTrustedSender(sender, customers)) return dispatchInScope('customer', channel, payload, register.dispatch);
      if (!isTrustedSender(sender, trusted)) {
        log.warn('ipc refused: untrusted sender', { channel, ...sender });
        return fail('FORBIDDEN', 'This page may not use the register');
      }
      return register.dispatch(channel, payload);
    });
  }

  const stopEvents = register.onEvent((event) => {
    for (const [scope, windows] of [
      ['till', trusted],
      ['customer', customers],
    ] as const) {
      if (!windowReceives(scope, event)) continue;
      for (const contents of windows.values()) {
        // Our navigation rules keep the page on app://suanpan; checked again so an event can never
        // reach a foreign page if a rule is ever loosened.
        if (!contents.isDestroyed() && isAllowedAppUrl(contents.getURL())) contents.send(POS_EVENT_CHANNEL, event);
      }
    }
  });

  return {
    trust(contents) {
      const id = contents.id;
      trusted.set(id, contents);
      contents.once('destroyed', () => trusted.delete(id));
    },
    trustCustomer(contents) {
      const id = contents.id;
      customers.set(id, contents);
      contents.once('destroyed', () => customers.delete(id));
    },
    close() {
      stopEvents();
      for (const channel of channelNames) ipcMain.removeHandler(channel);
      trusted.clear();
      customers.clear();
    },
  };
}
