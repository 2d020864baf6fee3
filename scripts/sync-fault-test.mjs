#!/usr/bin/env node
/**
 * The sync fault test at full size (issue 5): 10,000 sales made offline, then synced through a
 * misbehaving proxy while the cloud is SIGKILLed twice and the sync worker killed three times.
 * It is the CI test tests/node/sync/sync-fault.test.ts with SYNC_FAULT_SALES=10000 (or the number
 * given: `node scripts/sync-fault-test.mjs 2000`). Needs PostgreSQL (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Prints the duplicate deliveries absorbed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sales = process.argv[2] ?? '10000';
if (!/^\d+$/.test(sales)) {
  console.error('Usage: node scripts/sync-fault-test.mjs [number of sales, default 10000]');
  process.exit(2);
}
const result = spawnSync('npx', ['vitest', 'run', 'tests/node/sync/sync-fault.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SYNC_FAULT_SALES: sales },
});
process.exit(result.status ?? 1);
