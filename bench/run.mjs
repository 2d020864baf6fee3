// `npm run bench`: every benchmark, a table, and bench/results.json. Figures are ratios against a
// baseline measured in the same run, because this machine's timings are noisy.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRegisterStart } from './register-start.mjs';
import { benchCatalog } from './catalog.mjs';
import { benchSaleComplete } from './sale-complete.mjs';
import { benchScanToLine } from './scan-to-line.mjs';
import { benchCloudChanges } from './cloud-changes.mjs';
import { benchReports } from './reports.mjs';
import { benchSyncPush } from './sync-push.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchmarks = [benchRegisterStart, benchCatalog, benchSaleComplete, benchScanToLine, benchCloudChanges, benchSyncPush, benchReports];

const results = [];
for (const bench of benchmarks) results.push(...(await bench({ root })));

/** `target` caps the value, or floors it (`targetKind: 'min'`), or caps the ratio to the baseline (`'ratio'`). */
const withinTarget = (r) => (r.targetKind === 'min' ? r.value >= r.target : r.targetKind === 'ratio' ? r.ratio <= r.target : r.value <= r.target);
console.table(results.map((r) => ({ ...r, 'within target': withinTarget(r) ? 'yes' : 'NO' })));
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
