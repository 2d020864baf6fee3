/**
 * The audit chain's anchor outside the database: the newest row's sequence number and HMAC, kept
 * in `secrets/audit-anchor` beside the key. The chain alone cannot tell that its newest rows were
 * deleted (what is left still chains); the anchor can: the row it names must still be there with
 * the same HMAC. Rows after the anchor are allowed (the register stopped between a commit and the
 * anchor's write); rows missing up to it, or a different row at its place, are tampering.
 *
 * Written after each commit that appended rows, once its answer has gone (audit-log.ts), atomically: a temp file, fsync, rename over the
 * old one, fsync of the folder, so a power cut leaves the old anchor or the new, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const AUDIT_ANCHOR_FILE = 'audit-anchor';

const AnchorFile = z.strictObject({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditAnchor = z.infer<typeof AnchorFile>;

export function anchorPath(dataDir: string): string {
  return join(dataDir, 'secrets', AUDIT_ANCHOR_FILE);
}

/** The anchor, null when there is none yet; 'unreadable' when the file is there but is not one. */
export function readAnchor(file: string): AuditAnchor | null | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = AnchorFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeAnchor(file: string, anchor: AuditAnchor): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(anchor)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  // The rename itself is durable only once the folder is flushed (POSIX; Windows cannot open a folder).
  if (process.platform !== 'win32') fsyncPath(join(file, '..'), 'r');
}
