/**
 * `npm run audit -- verify --data-dir <dir>`: IT checks a register's audit log without starting
 * the register (stopped or running: the database is opened read-only). It walks the hash chain
 * with the key in secrets/ and checks the chain still reaches the anchor kept there.
 * Exit 0: intact; 1: altered or rows missing (or the log cannot be checked); 2: a usage mistake.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { anchorPath } from './audit-anchor';
import { verifyAuditChain, type AuditVerification } from './audit-log';

const USAGE = `Usage: npm run audit -- verify --data-dir <dir>
  verify      re-check the audit log's hash chain and its anchor in <dir>/secrets
  --data-dir  the register's data folder (holds register.db and secrets/)
Exit code 0: the log is intact; 1: it was altered or rows are missing; 2: a usage mistake.`;

class UsageError extends Error {}

function describe(result: AuditVerification): string {
  if (result.ok) return `ok: the audit log is intact (${result.rows} rows, anchor reached)`;
  switch (result.problem) {
    case 'altered':
      return `TAMPERED: row ${result.firstBadSeq} was altered or removed (the ${result.rows} rows before it are intact)`;
    case 'newest-rows-missing':
      return `TAMPERED: rows from ${result.firstBadSeq} on were deleted (the log stops before the anchor in secrets/audit-anchor)`;
    case 'rows-missing-at-start':
      return `TAMPERED: rows were deleted while the register was stopped; the next start recorded it at row ${result.firstBadSeq}`;
  }
}

function verify(dataDir: string): number {
  const dbFile = join(dataDir, 'register.db');
  const keyFile = join(dataDir, 'secrets', 'audit-key');
  if (!existsSync(dbFile)) throw new UsageError(`${dbFile} does not exist: is ${dataDir} a register's data folder?`);
  if (!existsSync(keyFile)) {
    console.error(`error: ${keyFile} is missing, so the log cannot be verified (restore secrets/ from the backup)`);
    return 1;
  }
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = verifyAuditChain(db, readFileSync(keyFile), anchorPath(dataDir));
    console.log(describe(result));
    return result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = parsed.positionals;
  if (command !== 'verify' || rest.length > 0)
    throw new UsageError(command === undefined ? 'name a command' : `unknown command ${JSON.stringify([command, ...rest].join(' '))}`);
  const dataDir = parsed.values['data-dir'];
  if (dataDir === undefined) throw new UsageError('--data-dir is required');
  return verify(resolve(dataDir));
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`error: the audit log could not be checked: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
