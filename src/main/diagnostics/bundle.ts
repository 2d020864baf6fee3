/**
 * The diagnostics bundle (issue 17): one zip for a support ticket, made from the back office's
 * 健康狀態 panel or `npm run diagnostics -- --data-dir D`. It holds the health report, the full
 * integrity check, the migrations, the print and sync queues' figures, the settings and the last
 * 1,000 log lines, every value passed through the log's redaction once more. It never holds a
 * secret: secrets/ is listed by name and size, its files are never read.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HealthReport } from '../../shared/diagnostics-schemas';
import type { Db } from '../db/open';
import { checkIntegrityInBackground } from '../db/integrity-check';
import type { Migration } from '../db/migrate';
import { schemaVersion } from '../db/migrate';
import { logFilePath, redact, redactString } from '../log-file';
import { zipFiles, type ZipEntry } from './zip-writer';

export const LOG_TAIL_LINES = 1_000;

/** The last `count` lines of the rotated log (register.N.log … register.log), oldest first, redacted again. */
export function logTail(dataDir: string, count = LOG_TAIL_LINES): string[] {
  const dir = join(dataDir, 'logs');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const indexes = names
    .map((name) => /^register(?:\.(\d+))?\.log$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => (match[1] === undefined ? 0 : Number(match[1])))
    .sort((a, b) => a - b);
  const lines: string[] = [];
  // Newest file first, its lines from the end, until there are enough.
  for (const index of indexes) {
    const text = readFileSync(logFilePath(dir, index), 'utf8');
    const fileLines = text.split('\n').filter((line) => line.trim() !== '');
    lines.unshift(...fileLines.slice(Math.max(0, fileLines.length - (count - lines.length))));
    if (lines.length >= count) break;
  }
  return lines.map(redactLine);
}

/** A log line as it should have been written: redacted (again) field by field, or as text when not JSON. */
function redactLine(line: string): string {
  try {
    return JSON.stringify(redact(JSON.parse(line)));
  } catch {
    return redactString(line);
  }
}

/** The setting table, values redacted like log fields; the receipt logo by size only. */
export function settingsWithoutSecrets(db: Db): Record<string, unknown> {
  const rows = db.prepare('SELECT key, value FROM setting ORDER BY key').all() as { key: string; value: string }[];
  const out: Record<string, unknown> = {};
  for (const { key, value } of rows) {
    const parsed: unknown = JSON.parse(value);
    if (key === 'hardware.receiptLogo') {
      out[key] = `[logo, ${value.length} characters]`;
      continue;
    }
    Object.assign(out, redact({ [key]: parsed }));
  }
  return out;
}

/** What secrets/ holds, by name, size and mode: never a byte of any of them. */
function secretsListing(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return 'secrets/: missing\n';
  }
  const dirMode = (statSync(dir).mode & 0o777).toString(8);
  return (
    `secrets/ (mode ${dirMode}):\n` +
    names
      .map((name) => {
        const s = statSync(join(dir, name));
        return `  ${name}  ${s.size} bytes  mode ${(s.mode & 0o777).toString(8)}`;
      })
      .join('\n') +
    '\n'
  );
}

function queues(db: Db): unknown {
  const outbox = db
    .prepare(`SELECT kind, count(*) AS rows, min(created_at) AS oldest FROM outbox WHERE acked_at IS NULL GROUP BY kind ORDER BY kind`)
    .all();
  const printJobs = db
    .prepare(
      `SELECT id, device, kind, ref, state, attempts, last_error AS error, created_at AS createdAt, updated_at AS updatedAt
       FROM print_job ORDER BY id DESC LIMIT 50`,
    )
    .all();
  return redact({ unsyncedOutboxByKind: outbox, recentPrintJobs: printJobs });
}

export interface BundleSource {
  db: Db;
  dataDir: string;
  dbFile: string;
  migrations: readonly Migration[];
  health: HealthReport;
  now: number;
}

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export function bundleName(health: HealthReport): string {
  const who = health.store ? `${health.store.code}-${health.store.registerCode}` : 'register';
  return `suanpan-diagnostics-${who}-${stamp(health.checkedAt)}.zip`;
}

/** The zip's entries. The full integrity check reads every page in a child process. */
export async function bundleEntries(source: BundleSource): Promise<ZipEntry[]> {
  const { db, dataDir, dbFile, migrations, health, now } = source;
  const modifiedAt = new Date(now);
  const problems = await checkIntegrityInBackground(dbFile, { full: true }).result;
  const applied = schemaVersion(db);
  const tail = logTail(dataDir);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const readme = [
    'Suanpan diagnostics bundle',
    `made ${new Date(now).toISOString()} (${health.source === 'register' ? 'by the running register' : 'by npm run diagnostics'})`,
    '',
    'health.json      versions, OS, disk, database and WAL size, backups, devices, sync and clock skew',
    'integrity.txt    PRAGMA integrity_check of register.db',
    'migrations.json  the schema migrations this app knows and which are applied',
    'queues.json      unsynced outbox rows by kind, the last 50 print jobs',
    'settings.json    the register settings (values redacted like the log; no secrets)',
    'secrets.txt      the names, sizes and modes of the files in secrets/ (never their contents)',
    `logs/register.log  the last ${tail.length} log lines (redacted)`,
    '',
  ].join('\n');
  return [
    { name: 'README.txt', data: readme, modifiedAt },
    { name: 'health.json', data: json(health), modifiedAt },
    {
      name: 'integrity.txt',
      data: problems.length === 0 ? 'ok\n' : `${problems.map(redactString).join('\n')}\n`,
      modifiedAt,
    },
    {
      name: 'migrations.json',
      data: json({
        applied,
        latest: migrations.length,
        migrations: migrations.map((m) => ({ version: m.version, name: m.name, applied: m.version <= applied })),
      }),
      modifiedAt,
    },
    { name: 'queues.json', data: json(queues(db)), modifiedAt },
    { name: 'settings.json', data: json(settingsWithoutSecrets(db)), modifiedAt },
    { name: 'secrets.txt', data: secretsListing(dataDir), modifiedAt },
    { name: 'logs/register.log', data: tail.length === 0 ? '' : `${tail.join('\n')}\n`, modifiedAt },
  ];
}

export function defaultDiagnosticsFolder(dataDir: string): string {
  return join(dataDir, 'diagnostics');
}

/** Makes the zip and writes it into `folder` (or to `file`); answers where, and the bytes. */
export async function writeBundle(
  source: BundleSource,
  target: { folder: string } | { file: string },
): Promise<{ file: string; name: string; zip: Buffer }> {
  const zip = await zipFiles(await bundleEntries(source));
  const file = 'file' in target ? target.file : join(target.folder, bundleName(source.health));
  if ('folder' in target) mkdirSync(target.folder, { recursive: true });
  writeFileSync(file, zip, { mode: 0o600 });
  return { file, name: basename(file), zip };
}
