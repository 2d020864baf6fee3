/**
 * Why a backup or a restore did not happen. The codes are the contract's (src/shared/errors.ts),
 * so the back office shows them in the cashier's language and the CLI prints `error CODE: message`.
 */
import { PosError, type ErrorCode } from '../../shared/errors';

export type BackupErrorCode = Extract<
  ErrorCode,
  'BACKUP_INVALID' | 'BACKUP_PASSPHRASE' | 'BACKUP_FAILED' | 'BACKUP_BUSY' | 'RESTORE_REFUSED'
>;

export class BackupError extends PosError {
  declare readonly code: BackupErrorCode;
  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message);
    this.name = 'BackupError';
    if (options) this.cause = options.cause;
  }
}
