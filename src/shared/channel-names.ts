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
  'catalog:categories',
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
  // Members at the till (issue 13)
  'cart:set-member',
  'member:find',
  'member:enrol',
  'member:history',
  'sale:complete',
  'sale:find',
  'sale:reprint',
  // Staff, roles, clock in/out and the audit log (issue 6a)
  'staff:clock',
  'staff:list',
  'staff:save',
  'staff:unlock',
  'staff:timesheet',
  'roles:list',
  'roles:save',
  'roles:delete',
  'audit:list',
  'audit:verify',
  'audit:kinds',
  'audit:exceptions',
  // payment methods the store takes (back office)
  'hardware:logo',
  'hardware:set-logo',
  'payment:methods-all',
  'payment:save-method',
  'payment:move-method',
  // Customer display and scanner (issue 4b)
  'display:status',
  'display:configure',
  'display:test',
  'scanner:status',
  'scanner:configure',
  'customer:view',
  'customer:show-total',
  'customer:show-fps',
  'customer:settings',
  'customer:configure',
  // Receipt printer, cash drawer, hardware screen (issue 4a)
  'hardware:config',
  'hardware:set-printer',
  'hardware:set-drawer-rule',
  'hardware:status',
  'hardware:test-print',
  'hardware:open-drawer',
  'print:jobs',
  'print:resolve',
  'print:preview',
  'drawer:no-sale',
  // Sync with the cloud (issue 5)
  'sync:status',
  'sync:enrol',
  'sync:now',
  'sync:forget',
  'sync:acknowledge',
  // Shifts, end of day (X/Z) and reports (issue 6b)
  'shift:state',
  'shift:open',
  'shift:cash-movement',
  'shift:count',
  'shift:counted',
  'shift:close',
  'report:x',
  'report:print-x',
  'report:sales',
  'day:status',
  'day:close',
  'day:list-z',
  'day:z',
  'day:reprint-z',
  // Backups, restore and diagnostics (issue 17)
  'backup:status',
  'backup:create',
  'backup:save-settings',
  'backup:set-passphrase',
  'backup:restore',
  // Health panel and diagnostics bundle (issue 17)
  'health:status',
  'diagnostics:bundle',
  // Updates between shifts (issue 17)
  'update:status',
  'update:check',
  'update:install-when-safe',
  'update:save-settings',
  // Stock at the counter (issue 14)
  'stock:on-hand',
  'stock:set-reorder',
  'stock:reasons',
  'stock:save-reason',
  'stock:documents',
  'stock:open',
  'stock:document',
  'stock:scan',
  'stock:set-line',
  'stock:variance',
  'stock:post',
  'stock:cancel',
  'stock:reason-report',
  'stock:inbound',
  // 網上訂單 (issue 15)
  'order:list',
  'order:move',
  'order:print-pick-list',
  'order:collect',
  'order:create',
  'order:acknowledge',
  // Labels (issue 14)
  'labels:queue',
  'labels:add',
  'labels:set-quantity',
  'labels:remove',
  'labels:preview',
  'labels:print',
  'hardware:label-printer',
  'hardware:set-label-printer',
  'hardware:test-label',
] as const;

export type ChannelName = (typeof channelNames)[number];

/**
 * All a customer-facing window (the second monitor) may call: it reads the customer view and
 * nothing else. Both hosts refuse every other channel from such a window.
 */
export const customerChannelNames = ['customer:view'] as const satisfies readonly ChannelName[];

/** The IPC channel Electron's main uses to push events to the window. */
export const POS_EVENT_CHANNEL = 'pos:event';
