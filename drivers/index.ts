/**
 * Hardware drivers for the register (DESIGN.md section 6; drivers/README.md for the API).
 * No imports from src/, no Electron. Emulators are exported separately from ./emulators.
 */
export { DriverError } from './driver-error';
export * from './display';
export * from './escpos';
export * from './printer';
export * from './scanner';
export * from './status';
export * from './transports';
export * from './labels';
