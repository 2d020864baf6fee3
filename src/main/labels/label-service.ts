/**
 * Labels (issue 14): the queue (receiving and price changes fill it; people add to it by scan or
 * SKU), the preview, and printing to the label printer set up on the hardware screen: ZPL or TSPL
 * over any transport (tcp://…:9100, serial, usb, spooler, file), the receipt printer (ESC/POS), or
 * an A4 PDF sheet handed back to the screen to save or print.
 *
 * Printing decides what it prints before its first await (the rows read, the one print in flight
 * marked); the rows leave the queue only after the printer took the job, so a failed print keeps
 * them, and only as they were printed (takePrinted: labels asked for meanwhile stay).
 */
import { createFontRasteriser, encodePng, encodeReceipt, type FontRasteriser, type PrinterProfile } from '../../../drivers/escpos';
import {
  A4_3X8,
  encodeTspl,
  encodeZpl,
  labelAsReceipt,
  rasteriseLabel,
  sendLabelJob,
  writeLabelSheetPdf,
  type LabelDocument,
  type SheetLabel,
} from '../../../drivers/labels';
import { formatDeviceUri, parseDeviceUri } from '../../../drivers/transports';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { matchCode } from '../catalog/lookup';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { deviceError } from '../devices/device-errors';
import { PosError } from '../../shared/errors';
import {
  LabelPrinterConfig,
  labelPrinterProfiles,
  labelTemplateIds,
  type LabelKind,
  type LabelPreview,
  type LabelPrinterSetup,
  type LabelPrintResult,
  type LabelQueueItem,
  type LabelQueueView,
} from '../../shared/label-schemas';
import { layoutLabel, type LabelProduct } from './label-layout';
import { LABEL_PRINTERS } from './label-printers';
import { insertLabels, listQueue, queueItems, removeLabels, setQuantity, takePrinted } from './label-queue';

const SETTING = 'hardware.labelPrinter';
const LabelPrinterConfigOrNone = LabelPrinterConfig.nullable();
/** One print job's labels at most: a sheet of PDF pages or a roll a printer buffers. */
export const MAX_LABELS_PER_PRINT = 2000;

export interface LabelServiceDeps {
  db: Db;
  clock: Clock;
  /** The receipt printer (URI and ESC/POS profile), for labels on the receipt roll. */
  receiptPrinter: () => Promise<{ uri: string; profile: PrinterProfile }>;
}

export type LabelService = ReturnType<typeof createLabelService>;

export function createLabelService({ db, clock, receiptPrinter }: LabelServiceDeps) {
  let rasteriser: FontRasteriser | null = null;
  /** The 20 MB CJK font, read the first time a label is drawn. */
  const font = (): FontRasteriser => {
    try {
      rasteriser ??= createFontRasteriser();
      return rasteriser;
    } catch (error) {
      throw deviceError(error);
    }
  };
  let printing = false;

  const printer = (): LabelPrinterConfig | null => readSetting(db, SETTING, LabelPrinterConfigOrNone, null);

  const view = (): LabelQueueView => {
    const items = listQueue(db);
    return { items, labels: items.reduce((sum, i) => sum + i.quantity, 0), printer: printer() };
  };

  const productFor = (productId: number): LabelProduct => {
    const p = prepared<{ id: number }, { sku: string; name_zh: string; name_en: string; price: number }>(
      db,
      'SELECT sku, name_zh, name_en, price FROM product WHERE id = :id',
    ).get({ id: productId });
    if (!p) throw new PosError('NOT_FOUND', `No product ${productId}`);
    const barcodes = prepared<{ id: number }, string>(db, 'SELECT code FROM barcode WHERE product_id = :id ORDER BY code')
      .pluck()
      .all({ id: productId });
    return { sku: p.sku, nameZh: p.name_zh, nameEn: p.name_en, priceCents: p.price, barcodes };
  };

  const templateFor = (kind: LabelKind, config: LabelPrinterConfig | null) =>
    kind === 'shelf' ? (config?.shelfTemplate ?? 'shelf-70x38') : (config?.productTemplate ?? 'product-40x30');

  const layout = (
    item: Pick<LabelQueueItem, 'productId' | 'kind'>,
    config: LabelPrinterConfig | null,
    dotsPerMm: number,
  ): LabelDocument => {
    const product = productFor(item.productId);
    const qr = item.kind === 'shelf' && config?.shelfQr ? config.shelfQr.replaceAll('{sku}', encodeURIComponent(product.sku)) : null;
    return layoutLabel(product, { template: templateFor(item.kind, config), dotsPerMm, qr });
  };

  /** The bytes (or the PDF) of one print, from items read before any await. */
  const render = async (items: readonly LabelQueueItem[], config: LabelPrinterConfig) => {
    const spec = LABEL_PRINTERS[config.profile];
    const docs = items.map((item) => ({ doc: layout(item, config, spec.dotsPerMm), copies: item.quantity }));
    try {
      switch (spec.language) {
        case 'zpl':
          return {
            uri: config.uri,
            bytes: concat(docs.map(({ doc, copies }) => encodeZpl(doc, { copies, cjkFont: spec.cjkFont, rasteriser: font() }))),
          };
        case 'tspl':
          return {
            uri: config.uri,
            bytes: concat(
              docs.map(({ doc, copies }) => encodeTspl(doc, { copies, codeSystem: spec.codeSystem, font: spec.font, rasteriser: font() })),
            ),
          };
        case 'escpos': {
          const target = await receiptPrinter();
          const blocks = docs.flatMap(({ doc, copies }) => labelAsReceipt(doc, copies).blocks);
          return { uri: config.uri ?? target.uri, bytes: encodeReceipt({ blocks }, { profile: target.profile, rasteriser: font() }) };
        }
        case 'pdf': {
          const sheet: SheetLabel[] = docs.flatMap(({ doc, copies }) => {
            const label: SheetLabel = { bitmap: rasteriseLabel(doc, font()), widthMm: doc.widthMm, heightMm: doc.heightMm };
            return Array.from({ length: copies }, () => label);
          });
          return { uri: null, bytes: writeLabelSheetPdf(sheet, A4_3X8, 'Suanpan labels') };
        }
      }
    } catch (error) {
      throw deviceError(error);
    }
  };

  const send = async (uri: string | null, bytes: Uint8Array): Promise<void> => {
    if (uri === null) throw new PosError('DEVICE_FAILED', 'The label printer has no address: set one on the hardware screen');
    const result = await sendLabelJob({ uri, bytes });
    if (result.kind === 'failed') {
      const error = deviceError(result.error);
      throw new PosError(error.code, result.mayHavePrinted ? `${error.message} (some labels may have printed)` : error.message);
    }
  };

  return {
    queue: view,

    /** "Print labels for product X": by scan, barcode or SKU, onto the queue. */
    add(code: string, kind: LabelKind, quantity: number): LabelQueueView {
      const match = matchCode(db, code);
      if (match.kind === 'invalid') throw new PosError('BARCODE_INVALID', `${code}: not a valid barcode (misread?): scan again`);
      if (match.kind === 'not-found') throw new PosError('ITEM_NOT_FOUND', `No product has the code ${code}`);
      db.transaction(() =>
        insertLabels(db, { productId: match.productId, kind, quantity, source: 'manual', now: clock.now() }),
      ).immediate();
      return view();
    },

    setQuantity(id: number, quantity: number): LabelQueueView {
      if (setQuantity(db, id, quantity) === 0) throw new PosError('NOT_FOUND', `No label ${id} in the queue`);
      return view();
    },

    remove(ids: readonly number[]): LabelQueueView {
      db.transaction(() => removeLabels(db, ids)).immediate();
      return view();
    },

    preview(productId: number, kind: LabelKind): LabelPreview {
      const config = printer();
      const doc = layout({ productId, kind }, config, 8);
      let png: Uint8Array;
      try {
        png = encodePng(rasteriseLabel(doc, font()));
      } catch (error) {
        throw deviceError(error);
      }
      const barcode = doc.elements.find((e) => e.kind === 'barcode');
      return {
        template: templateFor(kind, config),
        widthMm: doc.widthMm,
        heightMm: doc.heightMm,
        png: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
        texts: doc.elements.flatMap((e) => (e.kind === 'text' ? [{ role: e.role, text: e.text }] : [])),
        barcode: barcode?.kind === 'barcode' ? { symbology: barcode.symbology, data: barcode.data } : { symbology: 'code128', data: '' },
      };
    },

    /** Prints the chosen queue rows, each its quantity of labels; they leave the queue once the printer took them. */
    async print(ids: readonly number[]): Promise<LabelPrintResult> {
      const config = printer();
      if (!config) throw new PosError('DEVICE_FAILED', 'No label printer is set up: choose one on the hardware screen');
      if (printing) throw new PosError('LABELS_BUSY', 'Labels are printing: try again when they are done');
      const items = queueItems(db, ids);
      if (items.length === 0) throw new PosError('NOT_FOUND', 'None of these labels is in the queue any more');
      const labels = items.reduce((sum, i) => sum + i.quantity, 0);
      if (labels > MAX_LABELS_PER_PRINT)
        throw new PosError('BAD_REQUEST', `${labels} labels at once is too many: print at most ${MAX_LABELS_PER_PRINT} at a time`);
      printing = true;
      try {
        const job = await render(items, config);
        if (LABEL_PRINTERS[config.profile].language !== 'pdf') await send(job.uri, job.bytes);
        db.transaction(() => takePrinted(db, items)).immediate();
        return {
          labels,
          uri: job.uri,
          pdf: job.uri === null ? Buffer.from(job.bytes).toString('base64') : null,
          queue: view(),
        };
      } finally {
        printing = false;
      }
    },

    setup(): LabelPrinterSetup {
      return { printer: printer(), profiles: [...labelPrinterProfiles], templates: [...labelTemplateIds] };
    },

    /** Checks the address (a bad URI is DEVICE_URI_INVALID) and gives the form to save. */
    validate(config: LabelPrinterConfig | null): LabelPrinterConfig | null {
      if (config === null || config.uri === null) {
        if (config && config.profile !== 'a4-sheet' && config.profile !== 'receipt-printer')
          throw new PosError('DEVICE_URI_INVALID', 'A label printer needs its address, e.g. tcp://10.0.0.30:9100');
        return config;
      }
      let uri: string;
      try {
        const parsed = parseDeviceUri(config.uri.trim());
        if (parsed.scheme === 'hid') throw new PosError('DEVICE_URI_INVALID', `${config.uri}: hid:// is a scanner, not a label printer`);
        uri = formatDeviceUri(parsed);
      } catch (error) {
        throw deviceError(error);
      }
      return { ...config, uri: config.profile === 'a4-sheet' ? null : uri };
    },

    /** Inside the caller's transaction (audited there). */
    savePrinter(config: LabelPrinterConfig | null): void {
      writeSetting(db, SETTING, config);
    },

    /** A test label (the demo shop's milk tea, or the first product) to the configured printer. */
    async testPrint(): Promise<{ uri: string | null; pdf: string | null }> {
      const config = printer();
      if (!config) throw new PosError('DEVICE_FAILED', 'No label printer is set up: choose one first');
      const productId = prepared<[], number>(db, 'SELECT id FROM product WHERE active = 1 ORDER BY id LIMIT 1').pluck().get();
      if (productId === undefined) throw new PosError('NOT_FOUND', 'The catalogue is empty: there is nothing to put on a test label');
      const item: LabelQueueItem = {
        id: 0,
        productId,
        sku: '',
        nameZh: '',
        nameEn: '',
        price: 0,
        kind: 'product',
        quantity: 1,
        source: 'test',
        createdAt: clock.now(),
      };
      const job = await render([item], config);
      if (job.uri === null) return { uri: null, pdf: Buffer.from(job.bytes).toString('base64') };
      await send(job.uri, job.bytes);
      return { uri: job.uri, pdf: null };
    },
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
}
