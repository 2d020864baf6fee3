/**
 * The label queue and printing at the register (issue 14): receiving queues one label per unit
 * received in the posting transaction; a price change pulled on the sync worker's own connection
 * queues a shelf label; printing goes to a real TCP label printer (the emulator on port 0) and
 * the job decodes to the queue's names, prices, barcodes and quantities; a failed print keeps the
 * queue; the label printer's setting is checked, audited and permissioned.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabelPrinterEmulator, type LabelPrinterEmulator } from '../../../drivers/emulators';
import { readLabelSheetPdf } from '../../../drivers/labels';
import { applyChangePage } from '../../../src/main/sync/apply-changes';
import type { LabelPreview, LabelPrinterSetup, LabelPrintResult, LabelQueueView } from '../../../src/shared/label-schemas';
import type { StockDocumentView } from '../../../src/shared/stock-schemas';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters, type RegisterSession } from '../helpers/register-session';

const TEA = '4891234000012'; // DRI-0001 港式奶茶 HK$18
const WATER = '4891234000050'; // DRI-0005

const openRegister = useDemoRegisters();
const emulators: LabelPrinterEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.stop();
});

async function emulator(): Promise<LabelPrinterEmulator> {
  const e = await startLabelPrinterEmulator();
  emulators.push(e);
  return e;
}

async function receive(session: RegisterSession, lines: [string, number][]): Promise<string> {
  const doc = await session.call<StockDocumentView>('stock:open', { kind: 'receive', supplierRef: 'DN-1' });
  for (const [code, quantity] of lines) await session.call('stock:scan', { documentId: doc.id, code, quantity });
  await session.call('stock:post', { documentId: doc.id });
  return doc.docNo;
}

describe('the label queue', () => {
  it('receiving 12 teas and 5 waters queues 12 + 5 product labels with the delivery, and nothing before it posts', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const doc = await session.call<StockDocumentView>('stock:open', { kind: 'receive' });
    await session.call('stock:scan', { documentId: doc.id, code: TEA, quantity: 12 });
    expect((await session.call<LabelQueueView>('labels:queue')).items).toEqual([]);
    await session.call('stock:scan', { documentId: doc.id, code: WATER, quantity: 5 });
    await session.call('stock:post', { documentId: doc.id });
    const queue = await session.call<LabelQueueView>('labels:queue');
    expect(queue.labels).toBe(17);
    expect(queue.items.map((i) => [i.sku, i.kind, i.quantity, i.source])).toEqual([
      ['DRI-0001', 'product', 12, 'GRN-000001'],
      ['DRI-0005', 'product', 5, 'GRN-000001'],
    ]);
  });

  it('a price pulled from the cloud on another connection queues one shelf label, however often it changes before printing', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const worker = new Database(join(session.dataDir, 'register.db'));
    try {
      const page = (version: number, price: number) => [
        { version, entity: 'price', op: 'upsert', data: { sku: 'DRI-0001', price, validFrom: 1 } },
      ];
      applyChangePage(worker, page(1, 2000), 1, 'MK01', Date.now());
      applyChangePage(worker, page(2, 2200), 2, 'MK01', Date.now());
      // the same price again is no change on the shelf
      applyChangePage(worker, page(3, 2200), 3, 'MK01', Date.now());
    } finally {
      worker.close();
    }
    const queue = await session.call<LabelQueueView>('labels:queue');
    expect(queue.items.map((i) => [i.sku, i.kind, i.quantity, i.source, i.price])).toEqual([['DRI-0001', 'shelf', 1, 'price', 2200]]);
    const preview = await session.call<LabelPreview>('labels:preview', { productId: queue.items[0]!.productId, kind: 'shelf' });
    expect(preview).toMatchObject({ template: 'shelf-70x38', widthMm: 70, barcode: { symbology: 'ean13', data: TEA } });
    expect(preview.texts).toEqual(
      expect.arrayContaining([
        { role: 'price', text: 'HK$22.00' },
        { role: 'name-zh', text: '港式奶茶' },
      ]),
    );
  });

  it('adds labels for a product by scan or SKU, changes quantities, clears; refusals are typed', async () => {
    const { call, reg } = await openRegister({ staff: DEMO_MANAGER });
    await call('labels:add', { code: TEA, kind: 'product', quantity: 3 });
    let queue = await call<LabelQueueView>('labels:add', { code: 'dri-0005', kind: 'shelf', quantity: 1 });
    expect(queue.items.map((i) => [i.sku, i.kind, i.quantity, i.source])).toEqual([
      ['DRI-0001', 'product', 3, 'manual'],
      ['DRI-0005', 'shelf', 1, 'manual'],
    ]);
    queue = await call<LabelQueueView>('labels:set-quantity', { id: queue.items[0]!.id, quantity: 7 });
    expect(queue.labels).toBe(8);
    expect(await reg.dispatch('labels:add', { code: '4891234000013', kind: 'product', quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BARCODE_INVALID' },
    });
    expect(await reg.dispatch('labels:add', { code: TEA, kind: 'product', quantity: 0 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await reg.dispatch('labels:print', { ids: [queue.items[0]!.id] })).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_FAILED' },
    });
    queue = await call<LabelQueueView>('labels:remove', { ids: queue.items.map((i) => i.id) });
    expect(queue.items).toEqual([]);
  });
});

describe('printing labels', () => {
  it('prints part of the queue to a ZPL printer on a real TCP socket: 12 tea labels decode to names, price, EAN-13', async () => {
    const printer = await emulator();
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'zebra-203dpi', uri: printer.uri, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    await receive(session, [
      [TEA, 12],
      [WATER, 2],
    ]);
    const queue = await session.call<LabelQueueView>('labels:queue');
    const tea = queue.items.find((i) => i.sku === 'DRI-0001')!;
    const result = await session.call<LabelPrintResult>('labels:print', { ids: [tea.id] });
    expect(result).toMatchObject({ labels: 12, uri: printer.uri, pdf: null });
    expect(result.queue.items.map((i) => i.sku)).toEqual(['DRI-0005']);
    await printer.waitForJobs(1);
    const [label, ...more] = printer.zplLabels();
    expect(more).toEqual([]);
    expect(label!.copies).toBe(12);
    const texts = label!.fields.flatMap((f) => (f.kind === 'text' ? [f.text] : []));
    expect(texts).toEqual(['HK Milk Tea', 'HK$18.00', TEA]);
    // the Chinese name travels as the dots of the font (a Zebra has no Chinese font of its own)
    expect(label!.fields.filter((f) => f.kind === 'graphic')).toHaveLength(1);
    expect(label!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'ean13', data: TEA });
  });

  it('a TSC printer gets Big5 Chinese in its own font, and the shelf label the QR of the product page', async () => {
    const printer = await emulator();
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: {
        profile: 'tsc-203dpi',
        uri: printer.uri,
        productTemplate: 'product-50x25',
        shelfTemplate: 'shelf-70x38',
        shelfQr: 'https://shop.example.hk/p/{sku}',
      },
    });
    const queue = await session.call<LabelQueueView>('labels:add', { code: TEA, kind: 'shelf', quantity: 2 });
    await session.call('labels:print', { ids: queue.items.map((i) => i.id) });
    await printer.waitForJobs(1);
    const [label] = printer.tsplLabels();
    expect(label).toMatchObject({ widthMm: 70, heightMm: 38, copies: 2 });
    expect(label!.fields).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'text', text: '港式奶茶', font: 'TST24.BF2' })]));
    expect(label!.fields.find((f) => f.kind === 'qr')).toMatchObject({ data: 'https://shop.example.hk/p/DRI-0001' });
  });

  it('a printer that is off keeps the queue and says so; a second print while one runs is LABELS_BUSY', async () => {
    const printer = await emulator();
    const uri = printer.uri;
    await printer.stop();
    emulators.splice(emulators.indexOf(printer), 1);
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'zebra-203dpi', uri, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    const queue = await session.call<LabelQueueView>('labels:add', { code: TEA, kind: 'product', quantity: 4 });
    const ids = queue.items.map((i) => i.id);
    const [first, second] = await Promise.all([
      session.reg.dispatch('labels:print', { ids }),
      session.reg.dispatch('labels:print', { ids }),
    ]);
    expect(first).toMatchObject({ ok: false, error: { code: 'DEVICE_FAILED' } });
    expect(second).toMatchObject({ ok: false, error: { code: 'LABELS_BUSY' } });
    expect((await session.call<LabelQueueView>('labels:queue')).labels).toBe(4);
  });

  it('labels asked for while a print runs are not taken out with it: a quantity raised meanwhile keeps the rest queued', async () => {
    const printer = await emulator();
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'zebra-203dpi', uri: printer.uri, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    const queue = await session.call<LabelQueueView>('labels:add', { code: TEA, kind: 'product', quantity: 4 });
    const id = queue.items[0]!.id;
    // the print reads its 4 labels, then awaits the printer; the queue is raised to 10 meanwhile
    const [printed, raised] = await Promise.all([
      session.reg.dispatch('labels:print', { ids: [id] }),
      session.reg.dispatch('labels:set-quantity', { id, quantity: 10 }),
    ]);
    expect(raised).toMatchObject({ ok: true });
    expect(printed).toMatchObject({ ok: true, value: { labels: 4 } });
    await printer.waitForJobs(1);
    expect(printer.zplLabels().map((l) => l.copies)).toEqual([4]);
    const after = await session.call<LabelQueueView>('labels:queue');
    expect(after.items.map((i) => [i.id, i.quantity])).toEqual([[id, 6]]);
  });

  it('a price pulled while its shelf label prints keeps the label queued at the new price (the one printed shows the old)', async () => {
    const printer = await emulator();
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'zebra-203dpi', uri: printer.uri, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    const worker = new Database(join(session.dataDir, 'register.db'));
    try {
      const page = (version: number, price: number) => [
        { version, entity: 'price', op: 'upsert', data: { sku: 'DRI-0001', price, validFrom: 1 } },
      ];
      applyChangePage(worker, page(1, 2000), 1, 'MK01', Date.now());
      const queue = await session.call<LabelQueueView>('labels:queue');
      expect(queue.items.map((i) => [i.kind, i.price])).toEqual([['shelf', 2000]]);
      // the print reads HK$20.00 and awaits the printer; the sync worker pulls HK$22.00 meanwhile
      const printing = session.reg.dispatch('labels:print', { ids: [queue.items[0]!.id] });
      applyChangePage(worker, page(2, 2200), 2, 'MK01', Date.now());
      expect(await printing).toMatchObject({ ok: true, value: { labels: 1 } });
    } finally {
      worker.close();
    }
    await printer.waitForJobs(1);
    expect(printer.zplLabels()[0]!.fields.flatMap((f) => (f.kind === 'text' ? [f.text] : []))).toContain('HK$20.00');
    const after = await session.call<LabelQueueView>('labels:queue');
    expect(after.items.map((i) => [i.sku, i.kind, i.quantity, i.price])).toEqual([['DRI-0001', 'shelf', 1, 2200]]);
  });

  it('a device file nobody reads (a FIFO, a print server gone) answers DEVICE_FAILED within its bound and keeps the queue', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const fifo = join(session.dataDir, 'labels.fifo');
    execFileSync('mkfifo', [fifo]);
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'zebra-203dpi', uri: `file://${fifo}`, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    const queue = await session.call<LabelQueueView>('labels:add', { code: TEA, kind: 'product', quantity: 3 });
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)));
    try {
      const answer = await Promise.race([session.reg.dispatch('labels:print', { ids: queue.items.map((i) => i.id) }), hung]);
      expect(answer).toMatchObject({ ok: false, error: { code: 'DEVICE_FAILED' } });
      expect((await session.call<LabelQueueView>('labels:queue')).labels).toBe(3);
      // the next print is tried (and refused the same way), not LABELS_BUSY for ever
      const again = await Promise.race([session.reg.dispatch('labels:print', { ids: queue.items.map((i) => i.id) }), hung]);
      expect(again).toMatchObject({ ok: false, error: { code: 'DEVICE_FAILED' } });
    } finally {
      clearTimeout(timer);
      // a reader releases the opens still blocked on the FIFO (a pool thread each)
      for (let i = 0; i < 4; i++) closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    }
  });

  it('an A4 sheet comes back as a PDF of the labels', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    await session.call('hardware:set-label-printer', {
      printer: { profile: 'a4-sheet', uri: null, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
    });
    const queue = await session.call<LabelQueueView>('labels:add', { code: TEA, kind: 'shelf', quantity: 26 });
    const result = await session.call<LabelPrintResult>('labels:print', { ids: queue.items.map((i) => i.id) });
    const reading = readLabelSheetPdf(Buffer.from(result.pdf!, 'base64'));
    expect(reading.pages.map((p) => p.placements.length)).toEqual([24, 2]);
    expect(result.queue.items).toEqual([]);
  });

  it('the label printer setting: a bad address is refused in words, a change is audited, a cashier may print but not set it up', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    expect(
      await session.reg.dispatch('hardware:set-label-printer', {
        printer: { profile: 'zebra-203dpi', uri: 'lpt://x', productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'DEVICE_URI_INVALID' } });
    expect(
      await session.reg.dispatch('hardware:set-label-printer', {
        printer: { profile: 'zebra-203dpi', uri: null, productTemplate: 'product-40x30', shelfTemplate: 'shelf-70x38' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'DEVICE_URI_INVALID' } });
    const setup = await session.call<LabelPrinterSetup>('hardware:set-label-printer', {
      printer: { profile: 'xprinter-203dpi', uri: 'tcp://10.0.0.31', productTemplate: 'product-50x25', shelfTemplate: 'shelf-70x38' },
    });
    expect(setup.printer).toMatchObject({ uri: 'tcp://10.0.0.31:9100' });
    const audit = await session.call<{ kind: string; subject: string | null }[]>('audit:list', {});
    expect(audit.some((a) => a.kind === 'hardware.changed' && a.subject === 'label-printer')).toBe(true);
    await session.as(DEMO_CASHIER);
    expect((await session.reg.dispatch('labels:queue', {})).ok).toBe(true);
    expect(await session.reg.dispatch('hardware:label-printer', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
