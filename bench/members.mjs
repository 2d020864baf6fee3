// F8 會員 on a till holding 200,000 pulled members (issue 13): `member-lookup-phone-p99`, the core's
// `member:find` work for a phone typed at the counter (parse the query however it is written, find
// the member in SQLite, and the view the panel shows: masked phone, tier, points with this till's
// unsynced ones added), answered from this till alone (the cloud is asked only when the till has
// nothing, and this register has no cloud: misses answer "offline: not found locally" at once).
//
// Baseline, in the same run: the member row by the phone index with raw better-sqlite3, the least
// the same answer needs.
//
// The members are written through the real migrations and the pull's own upsert (`upsertCloudMember`)
// into a fresh database in a temp folder; the TypeScript core is bundled on the fly with esbuild.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { bundleAndImport, entry, percentile } from './lib.mjs';

export const BENCH_MEMBERS = 200_000;
const LOOKUPS = 3000;

async function loadCore(root) {
  return bundleAndImport(root, 'members-core', [
    "export { openDatabase, checkpointAndClose } from './src/main/db/open';",
    "export { loadMigrations, migrate } from './src/main/db/migrate';",
    "export { upsertCloudMember } from './src/main/members/member-repo';",
    "export { createMemberService } from './src/main/members/member-service';",
  ]);
}

/** A seeded generator (mulberry32), so every run looks up the same phones. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The i-th member's phone: distinct 8-digit mobile numbers starting 5, 6 or 9. */
const phoneOf = (i) =>
  `${'569'[i % 3]}${String(1_000_000 + i * 7)
    .padStart(7, '0')
    .slice(-7)}`;

export async function benchMembers({ root }) {
  const core = await loadCore(root);
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-bench-members-'));
  const file = join(dir, 'register.db');
  const db = core.openDatabase(file, { checkIntegrity: false });
  let raw = null;
  try {
    core.migrate(db, core.loadMigrations(join(root, 'migrations')));
    const started = performance.now();
    const tiers = ['standard', 'standard', 'standard', 'silver', 'gold'];
    db.transaction(() => {
      for (let i = 1; i <= BENCH_MEMBERS; i++) {
        core.upsertCloudMember(db, {
          id: i,
          code: `M${String(i).padStart(8, '0')}`,
          name: `會員 ${i}`,
          // head office keeps some numbers with the country code and spaces; a few members have none
          phone: i % 50 === 0 ? null : i % 4 === 0 ? `+852 ${phoneOf(i).slice(0, 4)} ${phoneOf(i).slice(4)}` : phoneOf(i),
          tier: tiers[i % tiers.length],
          active: true,
          points: i % 5000,
          storeCredit: 0,
          aliases: i % 10 === 0 ? [`TMK01-01-${String(i).padStart(5, '0')}`.slice(0, 32)] : [],
        });
      }
    })();
    db.exec('ANALYZE');
    console.error(`bench: wrote ${BENCH_MEMBERS} members through the pull's upsert in ${Math.round(performance.now() - started)} ms`);

    const members = core.createMemberService({
      db,
      clock: { now: () => Date.now() },
      log: { info() {}, warn() {}, error() {} },
      cloudToken: () => null,
    });
    raw = new Database(file, { readonly: true });
    const rawByPhone = raw.prepare(
      'SELECT id, code, name, phone, tier, points, store_credit FROM cloud_member WHERE phone_key = ? AND active = 1 ORDER BY id LIMIT 1',
    );

    // The counter's mix: typed plainly, with a space, with +852; a tenth are nobody here.
    const next = random(20_261_203);
    const queries = Array.from({ length: LOOKUPS }, () => {
      const i = 1 + Math.floor(next() * BENCH_MEMBERS);
      // members' numbers start 5, 6 or 9: a fixed line (2…) is nobody here
      const phone = next() < 0.1 ? `2${String(i).padStart(7, '0')}` : phoneOf(i % 50 === 0 ? i - 1 : i);
      const form = next();
      const typed = form < 0.6 ? phone : form < 0.9 ? `${phone.slice(0, 4)} ${phone.slice(4)}` : `+852 ${phone}`;
      return { typed, key: phone };
    });

    const subject = [];
    const baseline = [];
    let found = 0;
    // warm-up: the statements prepared, the pages cached
    for (const q of queries.slice(0, 100)) {
      await members.find(q.typed);
      rawByPhone.get(q.key);
    }
    for (const q of queries) {
      let t = performance.now();
      const answer = await members.find(q.typed);
      subject.push(performance.now() - t);
      if (answer.member) found++;
      t = performance.now();
      rawByPhone.get(q.key);
      baseline.push(performance.now() - t);
    }
    if (found < LOOKUPS * 0.8) throw new Error(`only ${found} of ${LOOKUPS} phones found: the generator and the lookups disagree`);
    console.error(
      `bench (${BENCH_MEMBERS} members): ${found}/${LOOKUPS} found; p50 ${percentile(subject, 50).toFixed(3)} ms (raw ${percentile(baseline, 50).toFixed(3)})`,
    );
    return [entry('member-lookup-phone-p99', 'ms', percentile(subject, 99), percentile(baseline, 99), 1)];
  } finally {
    raw?.close();
    core.checkpointAndClose(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/members.mjs`: this benchmark alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
  console.table(await benchMembers({ root }));
}
