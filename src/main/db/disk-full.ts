/**
 * A full disk. SQLite answers SQLITE_FULL (its file cannot grow, or max_page_count is reached) and
 * Node answers ENOSPC; both mean nothing was written (the transaction rolled back) and the same
 * thing to the cashier: 磁碟已滿 / Disk full, free space and try again. The router maps them here,
 * the status bar shows it until the disk has room again, and a start on a full disk says so.
 */
import { statfsSync } from 'node:fs';
import { PosError } from '../../shared/errors';
import type { Db } from './open';
import { DatabaseError } from './errors';

export function isDiskFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function diskFullError(): PosError {
  return new PosError(
    'DISK_FULL',
    'Disk full: nothing was saved. Free space on the disk that holds the register’s data (or call IT), then try again.',
  );
}

export function diskFullAtStart(dataDir: string, cause: unknown): DatabaseError {
  return new DatabaseError(
    'DB_DISK_FULL',
    `磁碟已滿 Disk full: the disk holding ${dataDir} has no space left, so the register cannot start. Free space on it (empty the recycle bin, delete old files) or call IT, then start again. Nothing was lost.`,
    { cause },
  );
}

/** Free space the register wants before it calls the disk usable again (a day of sales is far less). */
const ROOM_BYTES = 4 * 1024 * 1024;
const ROOM_PAGES = 64;

export function diskHasRoom(db: Db, dataDir: string): boolean {
  const fs = statfsSync(dataDir);
  const pages = Number(db.pragma('page_count', { simple: true }));
  const maxPages = Number(db.pragma('max_page_count', { simple: true }));
  return fs.bavail * fs.bsize >= ROOM_BYTES && maxPages - pages >= ROOM_PAGES;
}

export interface DiskFullWatch {
  /** Whether the last write found the disk full and it has not had room since. */
  full(): boolean;
  /** A write failed for want of space: the status says so until the disk has room again. */
  report(): void;
  stop(): void;
}

export function createDiskFullWatch({
  db,
  dataDir,
  onChange,
  pollMs = 2000,
}: {
  db: Db;
  dataDir: string;
  onChange: () => void;
  pollMs?: number;
}): DiskFullWatch {
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    full: () => timer !== null,
    report() {
      if (timer) return;
      timer = setInterval(() => {
        if (!db.open) return stop();
        if (diskHasRoom(db, dataDir)) {
          stop();
          onChange();
        }
      }, pollMs);
      timer.unref();
      onChange();
    },
    stop,
  };
}
