/**
 * The health panel's channels (issue 17), for whoever manages backups (`backup.manage`): the live
 * health report, and the diagnostics bundle written to <data>/diagnostics and handed to the page.
 */
import type { Handlers } from '../api/router';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { Migration } from '../db/migrate';
import type { Logger } from '../log';
import { defaultDiagnosticsFolder, writeBundle } from './bundle';
import { readHealthReport, type LiveHealth } from './health';

type DiagnosticsChannels = 'health:status' | 'diagnostics:bundle';

/** Past this the page gets only the file's name and place (a WebSocket answer of tens of MB helps nobody). */
const MAX_INLINE_BYTES = 8 * 1024 * 1024;

export interface DiagnosticsDeps {
  db: Db;
  dataDir: string;
  dbFile: string;
  appVersion: string;
  migrations: () => readonly Migration[];
  clock: Clock;
  log: Logger;
  live: LiveHealth;
}

export function createDiagnosticsHandlers(deps: DiagnosticsDeps): Pick<Handlers, DiagnosticsChannels> {
  const health = () =>
    readHealthReport({
      db: deps.db,
      dataDir: deps.dataDir,
      dbFile: deps.dbFile,
      appVersion: deps.appVersion,
      latestSchema: deps.migrations().length,
      now: deps.clock.now(),
      live: deps.live,
    });
  return {
    'health:status': () => health(),
    'diagnostics:bundle': async (_req, ctx) => {
      const report = await health();
      const written = await writeBundle(
        { db: deps.db, dataDir: deps.dataDir, dbFile: deps.dbFile, migrations: deps.migrations(), health: report, now: report.checkedAt },
        { folder: defaultDiagnosticsFolder(deps.dataDir) },
      );
      deps.log.info('diagnostics bundle written', { file: written.file, bytes: written.zip.length, staffId: ctx.staff.id });
      return {
        name: written.name,
        file: written.file,
        bytes: written.zip.length,
        base64: written.zip.length <= MAX_INLINE_BYTES ? written.zip.toString('base64') : null,
      };
    },
  };
}
