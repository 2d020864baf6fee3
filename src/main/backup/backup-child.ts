/**
 * The backup process (backup-in-child.ts starts it): reads its options and key as its input, makes
 * the backup with `makeBackup` and writes the answer (the backup, or the error's code and message)
 * as its answer.
 */
import { answerAndExit, readChildInput } from '../process/child-io';
import { BackupError } from './backup-errors';
import { makeBackup } from './backup-files';
import type { BackupChildAnswer, BackupChildInput } from './backup-in-child';

async function main(): Promise<BackupChildAnswer> {
  try {
    const { options, key } = JSON.parse(await readChildInput()) as BackupChildInput;
    const info = await makeBackup({
      ...options,
      key: key ? { salt: Buffer.from(key.salt, 'base64'), key: Buffer.from(key.key, 'base64') } : null,
    });
    return { ok: true, info };
  } catch (error) {
    return {
      ok: false,
      code: error instanceof BackupError ? error.code : 'BACKUP_FAILED',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

answerAndExit(await main());
