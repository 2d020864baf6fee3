// host-rss-hwm-mib: the kiosk host's resident high-water mark (VmHWM) after 500 ten-line, two-tender
// sales made over its WebSocket as the till makes them (a scan per line, then sale:complete), on a
// register whose catalogue holds 200,000 products (-1m: 1,000,000). Read from /proc at the end.
// Baseline: the high-water mark of the plainest process that serves that register (Node,
// better-sqlite3 on the same file, an HTTP server: bench/baseline-start.mjs) after answering the
// same 5,000 barcode lookups.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_PRODUCTS, BENCH_PRODUCTS_1M, catalogueBarcodes, largeRegister } from './catalog.mjs';
import { hostArgs } from '../tests/support/host-command.mjs';
import { entry, kioskClient, residentHighWaterMiB, spawnUntil, stop, withTimeout } from './lib.mjs';

const SALES = 500;
const LINES = 10;
const READY = /(http:\/\/127\.0\.0\.1:\d+\/)/;

async function hostHighWater(root, dataDir, codes) {
  const { child, match } = await spawnUntil(hostArgs(root, ['--data-dir', dataDir, '--port', '0']), READY);
  const client = await kioskClient(match[1]);
  try {
    await client.call('staff:login', { staffId: 1, pin: '1234' });
    for (let i = 0; i < SALES; i++) {
      let cart;
      for (let line = 0; line < LINES; line++) cart = await client.call('cart:scan', { code: codes[(i * LINES + line) % codes.length] });
      await client.call('sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: 'card', amount: 1000, approvalCode: 'A12345', cardLast4: '4242' },
          { method: 'cash', amount: cart.total - 1000, tendered: cart.total - 1000 + 5000 },
        ],
      });
    }
    return await residentHighWaterMiB(child.pid);
  } finally {
    await client.close();
    await stop(child);
  }
}

async function baselineHighWater(root, file, codes) {
  const { child, match } = await spawnUntil([join(root, 'bench', 'baseline-start.mjs'), file], READY);
  try {
    for (let i = 0; i < SALES * LINES; i++) {
      const name = await withTimeout(
        fetch(new URL(`/lookup?code=${codes[i % codes.length]}`, match[1])).then((r) => r.text()),
        10_000,
        'a baseline lookup',
      );
      if (name === '') throw new Error(`the baseline found no product for ${codes[i % codes.length]}`);
    }
    return await residentHighWaterMiB(child.pid);
  } finally {
    await stop(child);
  }
}

export async function memoryEntries({ root, n, suffix }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-memory-'));
  try {
    const file = await largeRegister({ root, n, dataDir });
    const codes = catalogueBarcodes(file, 2_000);
    const host = await hostHighWater(root, dataDir, codes);
    const base = await baselineHighWater(root, file, codes);
    return [entry(`host-rss-hwm-mib${suffix}`, 'MiB', host, base, 150)];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const benchHostMemory = ({ root }) => memoryEntries({ root, n: BENCH_PRODUCTS, suffix: '' });
export const benchHostMemory1m = ({ root }) => memoryEntries({ root, n: BENCH_PRODUCTS_1M, suffix: '-1m' });

// `node bench/host-memory.mjs [1m]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await (process.argv[2] === '1m' ? benchHostMemory1m : benchHostMemory)({ root }));
}
