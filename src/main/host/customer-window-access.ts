/**
 * What a customer-facing window (the second monitor) may do: call the read-only customer view and
 * receive the customer view's event, nothing else. Both hosts ask these questions for every
 * request and event of a window; pure, so the rule is tested without a socket or Electron.
 */
import { customerChannelNames } from '../../shared/channel-names';
import type { PosEvent } from '../../shared/channels';
import { fail, type Result } from '../../shared/errors';

export type WindowScope = 'till' | 'customer';

export function customerWindowMayCall(channel: unknown): boolean {
  return typeof channel === 'string' && (customerChannelNames as readonly string[]).includes(channel);
}

export function customerWindowMayReceive(event: PosEvent): boolean {
  return event.event === 'customer:cart';
}

/**
 * Which windows an event goes to. The customer view is the customer window's alone: the till never
 * reads it, and at 300 lines it is ~50 KB the till's main thread would parse on every scan.
 */
export function windowReceives(scope: WindowScope, event: PosEvent): boolean {
  return scope === 'customer' ? customerWindowMayReceive(event) : !customerWindowMayReceive(event);
}

export function refusedForCustomerWindow(channel: unknown): Result<never> {
  return fail('FORBIDDEN', `The customer screen may not use ${JSON.stringify(String(channel).slice(0, 64))}`);
}

/** Dispatches a request from a window of the given scope: a customer window reaches only its channels. */
export function dispatchInScope(
  scope: WindowScope,
  channel: unknown,
  payload: unknown,
  dispatch: (channel: unknown, payload: unknown) => Promise<Result<unknown>>,
): Promise<Result<unknown>> {
  if (scope === 'customer' && !customerWindowMayCall(channel)) return Promise.resolve(refusedForCustomerWindow(channel));
  return dispatch(channel, payload);
}
