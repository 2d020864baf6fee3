/**
 * What a channel may require. `public` needs nobody logged in (the login screen uses these),
 * `session` needs any logged-in staff member, anything else is a named permission that main maps
 * from the staff member's role (src/main/staff/roles.ts).
 */
export const permissions = ['sale.checkout', 'settings.edit'] as const;
export type Permission = (typeof permissions)[number];
export type ChannelAccess = 'public' | 'session' | Permission;

export const roles = ['cashier', 'manager'] as const;
export type Role = (typeof roles)[number];
