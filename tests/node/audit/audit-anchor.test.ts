/**
 * The audit chain's anchor outside the database (issue 11, item 2): deleting the newest rows with
 * the register stopped leaves a chain that still links, so only the anchor in secrets/ can tell.
 * The IT command (`npm run audit -- verify`) is built the way scripts/build-main.mjs builds it.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../../src/shared/staff-schemas';
import type { RegisterStatus } from '../../../src/shared/schemas';
import { anchorPath, readAnchor } from '../../../src/main/audit/audit-anchor';
import { createAuditLog } from '../../../src/main/audit/audit-log';
import { openDatabase } from '../../../src/main/db/open';
import { migrate, loadMigrations } from '../../../src/main/db/migrate';
import { runNodeScript } from '../../support/serve-process';
import { useTempDirs } from '../helpers/temp-dir';
import { useDemoRegisters } from '../helpers/register-session';
import { useBuiltCli } from '../helpers/built-cli';
import { CASHIER, MANAGER } from '../staff/staff-helpers';

const openTill = useDemoRegisters();
const tempDir = useTempDirs();
const root = process.cwd();
const builtCli = useBuiltCli('src/main/audit/audit-cli.ts');

const verifyCli = (dataDir: string) => runNodeScript(builtCli(), ['verify', '--data-dir', dataDir]);

function newestSeq(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number }).seq;
  } finally {
    db.close();
  }
}

/** A day at the till ending in a no-sale drawer opening that took HK$500 out; the register is stopped after. */
async function tillWithNoSale(): Promise<string> {
  // The demo's emulated printer: the drawer opens behind it.
  const till = await openTill({ config: { hardware: { demoPrinter: true } } });
  await till.as(CASHIER);
  await till.call('drawer:no-sale', { reason: 'took HK$500 out' });
  await till.as(MANAGER);
  till.close();
  return till.dataDir;
}

/** An audit log on a new, migrated register database, anchored to `file`. */
function auditLogOnNewDatabase() {
  const dataDir = tempDir();
  const db = openDatabase(join(dataDir, 'register.db'));
  migrate(db, loadMigrations(join(root, 'migrations')));
  const file = join(dataDir, 'anchor');
  const audit = createAuditLog({ db, key: Buffer.alloc(32, 7), clock: { now: () => 1 }, anchorFile: file });
  return { db, audit, file };
}

describe('the audit anchor', () => {
  it('follows every committed append, written whole (no temp file left), and the CLI says ok (exit 0)', async () => {
    const dataDir = await tillWithNoSale();
    const anchor = readAnchor(anchorPath(dataDir));
    expect(anchor).toMatchObject({ seq: newestSeq(join(dataDir, 'register.db')) });
    expect(readdirSync(join(dataDir, 'secrets')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const result = await verifyCli(dataDir);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: the audit log is intact/) });
  });

  it('catches the newest 3 rows deleted with the register stopped: the CLI (exit 1), then the start (status, a row in the log) and audit:verify', async () => {
    const dataDir = await tillWithNoSale();
    const dbFile = join(dataDir, 'register.db');
    const last = newestSeq(dbFile);
    const db = new Database(dbFile);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE seq > ? AND kind = 'drawer.no-sale'").get(last - 3)).toEqual({ n: 1 });
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 3);
    db.close();

    const result = await verifyCli(dataDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`TAMPERED: rows from ${last - 2} on were deleted`);

    const till = await openTill({ dataDir });
    expect((await till.call<RegisterStatus>('register:status')).audit).toBe('tampered');
    await till.as(MANAGER);
    const verdict = await till.call<AuditVerification>('audit:verify');
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: last - 2, problem: 'rows-missing-at-start' });
    const rows = await till.call<{ kind: string; detail: Record<string, unknown> }[]>('audit:list', { kinds: ['audit.anchor-mismatch'] });
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'audit.anchor-mismatch', detail: expect.objectContaining({ anchorSeq: last }) }),
    ]);
    till.close();
    // Stopped again: the CLI still says so (the start's record is part of the chain now).
    expect(await verifyCli(dataDir)).toMatchObject({ code: 1, stdout: expect.stringContaining('the next start recorded it') });
  });

  it('does not anchor a row whose transaction rolled back', () => {
    const { db, audit, file } = auditLogOnNewDatabase();
    audit.append({ kind: 'staff.login', staffId: null });
    audit.flushAnchor();
    expect(readAnchor(file)).toMatchObject({ seq: 1 });
    expect(() =>
      db.transaction(() => {
        audit.append({ kind: 'staff.logout', staffId: null });
        throw new Error('the action failed');
      })(),
    ).toThrow('the action failed');
    audit.flushAnchor();
    expect(readAnchor(file)).toMatchObject({ seq: 1 });
    expect(audit.verify()).toEqual({ ok: true, rows: 1 });
    db.close();
  });

  it('is written after the action has answered (its two fsyncs are not on the answer path), once the event loop turns', async () => {
    const { db, audit, file } = auditLogOnNewDatabase();
    audit.append({ kind: 'staff.login', staffId: null });
    audit.append({ kind: 'cart.line-removed', staffId: null });
    // An answer is sent in the microtasks that follow the handler: the anchor is not written yet.
    await Promise.resolve();
    expect(readAnchor(file)).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(readAnchor(file)).toMatchObject({ seq: 2 });
    db.close();
  });

  it('answers usage mistakes with exit 2 and a missing key with exit 1', async () => {
    expect((await runNodeScript(builtCli(), ['verify'])).code).toBe(2);
    expect((await runNodeScript(builtCli(), ['check', '--data-dir', '/tmp'])).code).toBe(2);
    expect((await runNodeScript(builtCli(), ['verify', '--data-dir', tempDir()])).code).toBe(2);
    const dataDir = await tillWithNoSale();
    rmSync(join(dataDir, 'secrets', 'audit-key'));
    expect(await verifyCli(dataDir)).toMatchObject({ code: 1, stderr: expect.stringContaining('audit-key is missing') });
    expect(existsSync(join(dataDir, 'register.db'))).toBe(true);
    expect(readFileSync(anchorPath(dataDir), 'utf8')).toMatch(/^\{"seq":\d+,"hash":"[0-9a-f]{64}"\}\n$/);
  });
});
