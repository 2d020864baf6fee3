/**
 * The contract between the renderer and main: every channel, its request and response schema and
 * who may call it. Types are inferred from here and nowhere else; main validates every request
 * against `req` before a handler sees it.
 */
import { z } from 'zod';
import type { ChannelAccess } from './permissions';
import type { Result } from './errors';
import { Pin, Product, RegisterStatus, ScanCode, StaffSummary } from './schemas';
import { channelNames, type ChannelName } from './channel-names';

export { channelNames, type ChannelName };

const Empty = z.strictObject({});

interface ChannelSpec {
  req: z.ZodType;
  res: z.ZodType;
  access: ChannelAccess;
}

export const channels = {
  'register:status': { req: Empty, res: RegisterStatus, access: 'public' },
  'staff:list-for-login': { req: Empty, res: z.array(StaffSummary), access: 'public' },
  'staff:login': {
    req: z.strictObject({ staffId: z.number().int().positive().max(2 ** 31), pin: Pin }),
    res: StaffSummary,
    access: 'public',
  },
  'staff:logout': { req: Empty, res: z.null(), access: 'session' },
  'catalog:lookup': { req: z.strictObject({ code: ScanCode }), res: Product.nullable(), access: 'sale.checkout' },
  'catalog:favourites': { req: Empty, res: z.array(Product), access: 'sale.checkout' },
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Channels = typeof channels;
export type ChannelRequest<K extends ChannelName> = z.input<Channels[K]['req']>;
export type ChannelResponse<K extends ChannelName> = z.output<Channels[K]['res']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** Events main pushes to every window. */
export const events = {
  'register:status': RegisterStatus,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type PosEvent = { [K in EventName]: { event: K; payload: z.output<(typeof events)[K]> } }[EventName];

/**
 * What the renderer sees as `window.pos`: one method per channel and one way to listen. Both
 * preloads (Electron's and the kiosk host's web preload) must `satisfies PosApi`.
 */
export type PosApi = {
  [K in ChannelName]: (req: ChannelRequest<K>) => Promise<Result<ChannelResponse<K>>>;
} & {
  onEvent(listener: (event: PosEvent) => void): () => void;
};
