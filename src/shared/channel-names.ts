/**
 * The channel names alone, free of zod, so the Electron preload (bundled whole into a sandboxed
 * script) stays small. channels.ts is checked against this list at compile time: a name missing
 * here or there fails `satisfies`.
 */
export const channelNames = [
  'register:status',
  'staff:list-for-login',
  'staff:login',
  'staff:logout',
  'catalog:lookup',
  'catalog:favourites',
  'catalog:search',
  'catalog:quick-add',
  'settings:checkout',
  'payment:methods',
  'cart:get',
  'cart:scan',
  'cart:add-product',
  'cart:set-quantity',
  'cart:remove-line',
  'cart:set-line-discount',
  'cart:set-price',
  'cart:set-cart-discount',
  'cart:suspend',
  'cart:list-suspended',
  'cart:recall',
  'cart:void',
  'cart:add-return',
  'cart:add-return-without-receipt',
  'sale:complete',
  'sale:find',
  'sale:reprint',
] as const;

export type ChannelName = (typeof channelNames)[number];

/** The IPC channel Electron's main uses to push events to the window. */
export const POS_EVENT_CHANNEL = 'pos:event';
