/**
 * Every error a driver throws is a DriverError with a stable `code`, so the main process can map
 * it to the register's error codes (and the hardware screen can show a clear message) without
 * parsing messages.
 */
export abstract class DriverError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
