/**
 * 練習模式 (issue 17): a manager switches the register into training; the till then sells with its
 * real screens, catalogue and prices into a training database (training-database.ts explains why a
 * separate file), with documents numbered TRN-…, receipts printed 練習 TRAINING — NOT A RECEIPT and
 * the drawer kept shut unless the manager chose otherwise. Switching it off deletes the training
 * database: the shop's figures never saw it. The real audit log records only that training was
 * switched on and off (and how many training documents were made), never a training amount.
 */
import { z } from 'zod';
import type { Receipt } from '../../shared/checkout-schemas';
import type { Cart } from '../../shared/checkout-schemas';
import type { StaffSummary, TrainingStatus } from '../../shared/schemas';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { openDatabase, type Db } from '../db/open';
import type { Logger } from '../log';
import { readSetting, writeSetting } from '../settings/settings-repo';
import type { StaffService } from '../staff/staff-service';
import { createCartService, type CartService } from '../checkout/cart-service';
import type { ResolvedScan } from '../checkout/resolve-scan';
import { createSaleService, type SaleService } from '../checkout/sale-service';
import { prepared } from '../db/prepared';
import { createTrainingDatabase, removeTrainingDatabase, trainingDatabaseExists, trainingDbFile } from './training-database';

/** The register's training switch, in register.db's settings (so a restart stays in training). */
export const TRAINING_SETTING_KEY = 'training.mode';

const TrainingMode = z.object({ since: z.number().int(), staffId: z.number().int(), by: z.string(), kickDrawer: z.boolean() }).nullable();
type TrainingMode = z.infer<typeof TrainingMode>;

/**
 * Training writes no audit row of its own: a training discount, void or refund is practice, and
 * the real log keeps only real money. (Approvals typed on the PIN pad are still checked, and
 * audited, by the real staff service: who approved is a fact about people, not the shop's figures.)
 */
const trainingAudit: AuditLog = {
  append: () => 0,
  verify: () => {
    throw new Error('the training session keeps no audit log');
  },
  anchorMatches: () => true,
  flushAnchor: () => undefined,
};

export interface TrainingSession {
  db: Db;
  carts: CartService;
  sales: SaleService;
  kickDrawer: boolean;
  documents(): number;
}

export interface TrainingServiceDeps {
  db: Db;
  dataDir: string;
  clock: Clock;
  audit: AuditLog;
  log: Logger;
  staff: StaffService;
  registerCode: () => string;
  resolveScan: (code: string) => ResolvedScan;
  /** After a training cart changes (the customer display shows it as it would a real one). */
  onCartChanged?: (cart: Cart) => void;
  /** After a training document commits: print it (marked), and open the drawer only if `kickDrawer`. */
  onDocument: (receipt: Receipt, options: { kickDrawer: boolean }) => void;
  /** The training state changed (the status bar and the till's banner follow it). */
  onChange: () => void;
}

export function createTrainingService(deps: TrainingServiceDeps) {
  const { db, clock, audit, log } = deps;
  const file = trainingDbFile(deps.dataDir);
  let open: TrainingSession | null = null;

  const mode = (): TrainingMode => readSetting(db, TRAINING_SETTING_KEY, TrainingMode, null);

  function openSession(current: NonNullable<TrainingMode>): TrainingSession {
    if (!trainingDatabaseExists(file)) createTrainingDatabase(db, file);
    const trainingDb = openDatabase(file, { checkIntegrity: false });
    const carts = createCartService({
      db: trainingDb,
      clock,
      staff: deps.staff,
      audit: trainingAudit,
      registerCode: deps.registerCode,
      resolveScan: deps.resolveScan,
      ...(deps.onCartChanged ? { onChanged: deps.onCartChanged } : {}),
    });
    const session: TrainingSession = {
      db: trainingDb,
      carts,
      kickDrawer: current.kickDrawer,
      sales: createSaleService({
        db: trainingDb,
        clock,
        carts,
        audit: trainingAudit,
        training: true,
        onCompleted: (receipt) => {
          deps.onDocument(receipt, { kickDrawer: session.kickDrawer });
          setImmediate(deps.onChange);
        },
      }),
      documents: () => prepared<[], number>(trainingDb, 'SELECT count(*) FROM sale').pluck().get() ?? 0,
    };
    return session;
  }

  function closeSession(): void {
    if (open?.db.open) open.db.close();
    open = null;
  }

  return {
    /** The training session while the register is in training; null when it sells for real. */
    session(): TrainingSession | null {
      const current = mode();
      if (current === null) {
        if (open) closeSession();
        return null;
      }
      open ??= openSession(current);
      open.kickDrawer = current.kickDrawer;
      return open;
    },

    status(): TrainingStatus {
      const current = mode();
      const documents = current === null ? 0 : (this.session()?.documents() ?? 0);
      return {
        on: current !== null,
        since: current?.since ?? null,
        by: current?.by ?? null,
        kickDrawer: current?.kickDrawer ?? false,
        documents,
      };
    },

    /** `training:set`: on (a fresh training copy, audited) or off (the copy deleted, audited with its document count). */
    set(actor: StaffSummary, on: boolean, kickDrawer: boolean): TrainingStatus {
      const current = mode();
      if (on) {
        if (current !== null && current.kickDrawer === kickDrawer) return this.status();
        if (current === null) {
          closeSession();
          createTrainingDatabase(db, file);
        }
        const by = actor.nameZh || actor.nameEn;
        db.transaction(() => {
          writeSetting(db, TRAINING_SETTING_KEY, { since: current?.since ?? clock.now(), staffId: actor.id, by, kickDrawer });
          audit.append({ kind: 'training.started', staffId: actor.id, detail: { kickDrawer } });
        }).immediate();
        log.info('training mode on', { staffId: actor.id, kickDrawer });
      } else {
        if (current === null) return this.status();
        const trainingDocuments = this.session()?.documents() ?? 0;
        closeSession();
        removeTrainingDatabase(file);
        db.transaction(() => {
          db.prepare('DELETE FROM setting WHERE key = ?').run(TRAINING_SETTING_KEY);
          audit.append({ kind: 'training.stopped', staffId: actor.id, detail: { trainingDocuments } });
        }).immediate();
        log.info('training mode off', { staffId: actor.id, trainingDocuments });
      }
      deps.onChange();
      return this.status();
    },

    /** The register closes (or restores a backup): the training file stays for the next start. */
    close(): void {
      closeSession();
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
