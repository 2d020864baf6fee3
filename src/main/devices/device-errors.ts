/**
 * Driver failures as the register's typed errors, for the hardware screen, the CLI and tests:
 * the code says what kind of problem it is, the message is the driver's, which names the device
 * and what to check.
 */
import { DriverError, type PrintJobResult, type StatusResult } from '../../../drivers';
import { PosError, type ErrorCode } from '../../shared/errors';

const CODES: Record<string, ErrorCode> = {
  DEVICE_URI_INVALID: 'DEVICE_URI_INVALID',
  PRINTER_PROFILE_INVALID: 'PRINTER_PROFILE_INVALID',
  PRINTER_PROFILE_UNKNOWN: 'PRINTER_PROFILE_INVALID',
  PRINTER_STATUS_GARBLED: 'PRINTER_STATUS_GARBLED',
};

export function deviceError(error: unknown): PosError {
  if (error instanceof PosError) return error;
  if (error instanceof DriverError) return new PosError(CODES[error.code] ?? 'DEVICE_FAILED', error.message);
  throw error;
}

/** A status answer that is not a usable status, as an error; a status is returned as is. */
export function statusOrError(uri: string, result: StatusResult): Extract<StatusResult, { kind: 'status' | 'unsupported' }> {
  switch (result.kind) {
    case 'status':
    case 'unsupported':
      return result;
    case 'garbled':
      return fail(
        'PRINTER_STATUS_GARBLED',
        `${uri}: the printer answered status with bytes that are not ESC/POS status (${result.message}); check the profile and the port's baud rate`,
      );
    case 'no-reply':
      return fail('DEVICE_FAILED', `${uri}: ${result.message}`);
    case 'failed':
      return fail('DEVICE_FAILED', result.error.message);
  }
}

export function printResultOrError(uri: string, result: PrintJobResult): void {
  if (result.kind === 'printed') return;
  if (result.kind === 'failed') throw deviceError(result.error);
  const s = result.status;
  const why = [
    s.coverOpen && 'the cover is open',
    s.paperOut && 'the paper is out',
    !s.online && 'it is offline',
    s.error && 'it reports an error',
  ]
    .filter(Boolean)
    .join(', ');
  throw new PosError('DEVICE_FAILED', `${uri}: the printer is not ready: ${why}; nothing was printed`);
}

function fail(code: ErrorCode, message: string): never {
  throw new PosError(code, message);
}
