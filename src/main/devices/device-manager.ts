/**
 * The counter's devices in the main process: implements the CounterDevices port on the receipt
 * printer's durable queue and worker, prints the receipt of each completed sale and opens the
 * drawer by the tender rule, and gives the hardware screen and CLI their tests. Nothing here
 * blocks checkout: a sale inserts one small queue row; the worker builds the bytes later.
 */
import { readStoreTimeZone } from '../settings/store-time-zone';
import { builtInProfileNames, getProfile, type PrinterProfile, type ReceiptDocument } from '../../../drivers';
import { startPrinterEmulator, type PrinterEmulator } from '../../../drivers/emulators';
import { PosError } from '../../shared/errors';
import { TRAINING_RECEIPT_PREFIX, type Receipt } from '../../shared/checkout-schemas';
import type { HardwareConfig, PrinterStatusReport, PrintJobView, ReceiptPreview } from '../../shared/hardware-schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { loadReceipt } from '../checkout/receipt-view';
import type { CounterDevices, DrawerReason, PrintKind } from './counter-devices';
import {
  canonicalUri,
  createEncoder,
  loadPrinterProfile,
  openDrawerOnce,
  printTestPage,
  readStatus,
  statusReport,
  type PrinterTarget,
} from './printer-checks';
import { documentPreview } from './document-preview';
import { saleOpensDrawer, type DrawerRule } from './drawer-rule';
import {
  DEFAULT_PROFILE,
  readDrawerRule,
  readPrinterSetting,
  writeDrawerRule,
  writePrinterSetting,
  type PrinterSetting,
} from './hardware-settings';
import { insertPrintJob, recentJobs, setJobState, type PrintJobRow } from './print-queue';
import { createPrinterWorker, type PrinterLiveState, type WorkerTiming } from './printer-worker';
import { receiptDocument } from './receipt-document';
import { receiptLogoFor } from './receipt-logo';

const RECEIPT_PRINTER = 'receipt';

/** What a host passes in from its command line. */
export interface HardwareOptions {
  /** `--printer <uri>`: use and remember this receipt printer. */
  printer?: string;
  /** `--printer-profile <name|file>` with `--printer`; default epson-tm-t88. */
  printerProfile?: string;
  /** `--demo` with no printer configured: print to a TCP printer emulator on a free port. */
  demoPrinter?: boolean;
  /** Retry and poll intervals (tests shorten them). */
  timing?: Partial<WorkerTiming>;
}

export interface DeviceManagerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  onChange: () => void;
  /** The register's data folder: profile files are read only from inside it. */
  dataDir: string;
  hardware?: HardwareOptions;
}

export interface DeviceTest {
  uri?: string | undefined;
  profile?: string | undefined;
}

export async function createDeviceManager(deps: DeviceManagerDeps) {
  const { db, clock, log } = deps;
  const profilesFrom = { dataDir: deps.dataDir };
  let target: PrinterTarget | null = null;
  let problem: string | null = null;
  let emulator: PrinterEmulator | null = null;

  async function loadTarget(): Promise<void> {
    problem = null;
    const setting = readPrinterSetting(db);
    if (!setting) {
      target = emulator ? { uri: emulator.uri, profile: getProfile(DEFAULT_PROFILE) } : null;
      return;
    }
    try {
      target = { uri: canonicalUri(setting.uri), profile: await loadPrinterProfile(setting.profile, profilesFrom) };
    } catch (error) {
      target = null;
      problem = error instanceof Error ? error.message : String(error);
      log.error('the receipt printer configuration cannot be used', { message: problem });
    }
  }

  if (deps.hardware?.printer) {
    const profile = deps.hardware.printerProfile ?? readPrinterSetting(db)?.profile ?? DEFAULT_PROFILE;
    await loadPrinterProfile(profile, profilesFrom);
    writePrinterSetting(db, { uri: canonicalUri(deps.hardware.printer), profile });
  } else if (deps.hardware?.demoPrinter && !readPrinterSetting(db)) {
    emulator = await startPrinterEmulator({ port: 0 });
    log.info('demo: printing to the TCP printer emulator', { uri: emulator.uri });
  }
  await loadTarget();

  const encode = createEncoder();

  function jobDocument(job: Pick<PrintJobRow, 'kind' | 'ref' | 'document'>, profile: PrinterProfile): ReceiptDocument {
    if (job.document !== null) return JSON.parse(job.document) as ReceiptDocument;
    return receiptDocument(loadReceipt(db, job.ref, job.kind === 'receipt-copy'), {
      logo: receiptLogoFor(db, profile.paper.dots),
      timeZone: readStoreTimeZone(db),
    });
  }

  const worker = createPrinterWorker({
    db,
    clock,
    log,
    device: RECEIPT_PRINTER,
    target: () => target,
    render: (job, profile) => Promise.resolve(encode(jobDocument(job, profile), profile)),
    onChange: deps.onChange,
    ...(deps.hardware?.timing ? { timing: deps.hardware.timing } : {}),
  });

  /** A printer is set up (even if its configuration is broken right now: jobs wait until IT fixes it). */
  const configured = (): boolean => target !== null || problem !== null;

  function enqueue(kind: PrintKind, ref: string, document: ReceiptDocument | null): number {
    const id = insertPrintJob(db, { device: RECEIPT_PRINTER, kind, ref, document, now: clock.now() });
    worker.wake();
    return id;
  }

  /** An explicit device for an IT test, or the configured one. */
  async function testTarget(test: DeviceTest): Promise<PrinterTarget> {
    if (!test.uri && !test.profile) {
      if (target) return target;
      throw new PosError('DEVICE_FAILED', problem ?? 'No receipt printer is configured: enter its URI first');
    }
    const uri = test.uri ? canonicalUri(test.uri) : target?.uri;
    if (!uri) throw new PosError('DEVICE_FAILED', 'No receipt printer is configured: enter its URI first');
    const profile = test.profile ? await loadPrinterProfile(test.profile, profilesFrom) : (target?.profile ?? getProfile(DEFAULT_PROFILE));
    return { uri, profile };
  }

  const counterDevices: CounterDevices = {
    openDrawer(reason: DrawerReason) {
      if (!target) {
        log.warn('drawer not opened: no receipt printer configured', { reason });
        return;
      }
      worker.kickDrawer();
    },
    enqueuePrint(doc, meta) {
      return enqueue(meta.kind, meta.ref, doc);
    },
  };

  return {
    counterDevices,

    /** The receipt printer as configured (labels on the receipt roll print there); DEVICE_FAILED when none is. */
    receiptPrinter: (): Promise<PrinterTarget> => testTarget({}),

    /** Inside the sale's transaction: its receipt's print job (kind + receipt number) commits with it. */
    queueReceipt(receipt: Receipt): void {
      if (configured())
        insertPrintJob(db, { device: RECEIPT_PRINTER, kind: 'receipt', ref: receipt.receiptNo, document: null, now: clock.now() });
    },

    /**
     * After the sale commits: open the drawer by the rule, then print (the job is queued with the
     * sale). Both start once the answer is on its way (setImmediate runs after the reply's
     * microtasks): the till does not wait for the drawer's connection, the receipt's bytes or the
     * job's first write.
     */
    saleCompleted(receipt: Receipt): void {
      if (!configured()) return;
      setImmediate(() => {
        if (!db.open) return;
        // The drawer first: the cashier hands over change while the receipt prints.
        if (saleOpensDrawer(readDrawerRule(db), receipt)) counterDevices.openDrawer('sale');
        worker.wake();
      });
    },

    /**
     * 練習模式 (src/main/training): a training document lives in the training database, not in this
     * one, so its print job carries the document itself, built now (marked 練習 TRAINING). The drawer
     * opens only when the manager switched training on with "open the drawer" chosen, then by the rule.
     */
    trainingReceipt(receipt: Receipt, options: { kickDrawer: boolean }): void {
      if (!configured()) return;
      if (!receipt.copy && options.kickDrawer && saleOpensDrawer(readDrawerRule(db), receipt)) counterDevices.openDrawer('sale');
      const profile = target?.profile ?? getProfile(DEFAULT_PROFILE);
      const document = receiptDocument(receipt, { logo: receiptLogoFor(db, profile.paper.dots), timeZone: readStoreTimeZone(db) });
      enqueue(receipt.copy ? 'receipt-copy' : 'receipt', receipt.receiptNo, document);
    },

    /** `sale:reprint`: a copy, marked 副本 COPY. */
    receiptReprinted(receipt: Receipt): void {
      if (configured()) enqueue('receipt-copy', receipt.receiptNo, null);
    },

    printerState(): PrinterLiveState {
      const state = worker.state();
      return problem ? { ...state, state: 'error', message: problem } : state;
    },

    config(): HardwareConfig {
      return {
        printer: readPrinterSetting(db),
        demoPrinter: emulator && target?.uri === emulator.uri ? emulator.uri : null,
        drawerRule: readDrawerRule(db),
        profiles: [...builtInProfileNames],
        problem,
      };
    },

    /** Checks the URI and profile (throws a typed error); `savePrinter` then writes them in the caller's transaction. */
    async validatePrinter(setting: PrinterSetting): Promise<PrinterSetting> {
      const uri = canonicalUri(setting.uri);
      await loadPrinterProfile(setting.profile, profilesFrom);
      return { uri, profile: setting.profile.trim() };
    },

    savePrinter(setting: PrinterSetting | null): void {
      writePrinterSetting(db, setting);
    },

    /** After the saved configuration changed (its transaction committed). */
    async reload(): Promise<void> {
      await loadTarget();
      worker.reset();
    },

    saveDrawerRule(rule: DrawerRule): void {
      writeDrawerRule(db, rule);
    },

    async testPrint(test: DeviceTest): Promise<{ uri: string; confirmed: boolean }> {
      const t = await testTarget(test);
      return worker.exclusive(() => printTestPage(t, encode, clock.now(), readStoreTimeZone(db)));
    },

    async openDrawerNow(test: DeviceTest): Promise<{ uri: string }> {
      const t = await testTarget(test);
      return worker.exclusive(() => openDrawerOnce(t));
    },

    async readStatus(test: DeviceTest): Promise<PrinterStatusReport> {
      const t = await testTarget(test);
      const raw = await worker.exclusive(() => readStatus(t));
      if (target && t.uri === target.uri) worker.noteStatus(raw);
      return statusReport(t.uri, raw);
    },

    jobs(limit = 20): PrintJobView[] {
      return recentJobs(db, RECEIPT_PRINTER, limit).map((j) => ({
        id: j.id,
        kind: j.kind,
        ref: j.ref,
        state: j.state,
        attempts: j.attempts,
        error: j.last_error,
        createdAt: j.created_at,
        printedAt: j.printed_at,
      }));
    },

    /** The cashier's answer to a flagged job. Reprinting a receipt prints a marked COPY, never the original again. */
    resolveJob(jobId: number, action: 'reprint' | 'dismiss', countReprint: (receiptNo: string) => void): void {
      const job = worker.job(jobId);
      if (!job || job.device !== RECEIPT_PRINTER) throw new PosError('NOT_FOUND', `No print job ${jobId}`);
      if (job.state !== 'uncertain' && job.state !== 'failed')
        throw new PosError('CONFLICT', `Print job ${jobId} is ${job.state}; only a flagged job can be reprinted or dismissed`);
      db.transaction(() => {
        setJobState(db, jobId, 'dismissed', clock.now(), job.last_error);
        if (action !== 'reprint') return;
        const isReceipt = job.kind === 'receipt' || job.kind === 'receipt-copy';
        // A training document's reprint is counted in the training database, or nowhere once training ended.
        if (isReceipt && !job.ref.startsWith(TRAINING_RECEIPT_PREFIX)) countReprint(job.ref);
        const document = job.document === null ? null : (JSON.parse(job.document) as ReceiptDocument);
        insertPrintJob(db, {
          device: RECEIPT_PRINTER,
          kind: isReceipt ? 'receipt-copy' : job.kind,
          ref: job.ref,
          document,
          now: clock.now(),
        });
      })();
      worker.wake();
    },

    /** The receipt as the paper lays it out (the configured profile's columns), for the on-screen preview. */
    preview(receiptNo: string, training?: Receipt): ReceiptPreview {
      const profile = target?.profile ?? getProfile(DEFAULT_PROFILE);
      // A training document is not in this database: the training session hands it over.
      const document = receiptDocument(training ?? loadReceipt(db, receiptNo, false), {
        logo: receiptLogoFor(db, profile.paper.dots),
        timeZone: readStoreTimeZone(db),
      });
      return { columns: profile.paper.columns, lines: documentPreview(document, profile.paper.columns) };
    },

    async close(): Promise<void> {
      await worker.close();
      await emulator?.stop();
    },
  };
}

export type DeviceManager = Awaited<ReturnType<typeof createDeviceManager>>;
