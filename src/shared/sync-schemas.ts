/**
 * Sync with the cloud (issue 5) as the renderer sees it: the status the status bar, the back office
 * and the close-the-day screen read (`sync:status`), and the enrolment form's request.
 */
import * as z from './zod';
import { SyncAttention, SyncState } from './schemas';

/** Clock skew beyond this needs attention (sync status, health panel): receipts would carry a wrong time. */
export const MAX_CLOCK_SKEW_MS = 2 * 60_000;

/** A shared count the cloud refused (src/main/stock/count-refusals.ts): shown until closed here or dismissed by a manager. */
export const RefusedCount = z.object({
  documentId: z.number().int(),
  docNo: z.string(),
  /** the reason, an error code of the catalogue (errors.ts): zh-HK and English words in the renderer */
  code: z.enum(['COUNT_ID_TAKEN', 'COUNT_NOT_IN_CLOUD']),
  at: z.number().int(),
  /** the cloud's words (English), for IT */
  detail: z.string(),
});
export type RefusedCount = z.infer<typeof RefusedCount>;

/** A document the cloud put aside for head office (sync_quarantine), as 雲端同步 lists it. */
export const QuarantinedDocument = z.object({
  seq: z.number().int(),
  /** the outbox kind (outbox-kinds.ts): 銷售, 退貨, 更份 … in the renderer */
  kind: z.string(),
  /** the receipt or document number, the order number, … as the register wrote it */
  ref: z.string(),
  /** a QuarantineReason (quarantine-reasons.ts), named in zh-HK and English; null from a cloud before this version */
  reason: z.string().nullable(),
  reportedAt: z.number().int(),
});
export type QuarantinedDocument = z.infer<typeof QuarantinedDocument>;

/** How many of them the status carries: the newest; `quarantined` counts them all. */
export const QUARANTINED_DOCUMENTS_SHOWN = 20;

/**
 * What went wrong at sync's last failed request, recorded by the sync worker where it happened
 * (src/main/sync/sync-problem.ts), so 雲端同步 says it in the reader's language; the raw words
 * travel apart (`lastError`) and are shown only labelled for IT.
 */
export const SyncProblem = z.enum([
  'unreachable', // nothing answered: no network, a wrong address, the cloud down (retried by itself)
  'certificate', // no secure connection: the cloud's certificate is not accepted, or https to a plain http port
  'not-suanpan', // something answered that is not the cloud (a web page, a proxy's page)
  'cloud-failed', // the cloud answered with its own failure (HTTP 5xx, a load balancer's error page)
  'busy', // the cloud asked this register to wait (too many requests)
  'token-revoked', // head office revoked this register: pushing stops, the queue is kept (attention says what to do)
  'token-invalid', // the cloud no longer takes this register's token: enrol again
  'update-required', // the cloud does not understand this version's requests: update the register
  'refused', // the cloud refused the request with a code of its own (and it is retried)
  'unreadable', // the cloud answered in a form this version cannot read
  'failed', // the sync worker itself failed (the database, a bug): the log says more
]);
export type SyncProblem = z.infer<typeof SyncProblem>;

export const SyncStatus = z.object({
  state: SyncState,
  /** Why a person must act, most urgent first; null when nothing needs doing. */
  attention: SyncAttention.nullable(),
  /**
   * The technical words behind the attention, as they came, for IT (English): the cloud's answer
   * (token-revoked, token-invalid, update-required) or the first held change's error. 雲端同步 shows
   * them labelled, under its own text in the reader's language; figures travel in their own fields.
   */
  attentionDetail: z.string().nullable(),
  /** Outbox rows not yet acknowledged by the cloud (documents and events). */
  pending: z.number().int().min(0),
  /** Of those, sales, returns and exchanges: closing the day warns while this is above 0. */
  pendingSales: z.number().int().min(0),
  /** ms since the epoch: when the oldest unsynced sale was made; null when none. */
  oldestPendingSaleAt: z.number().int().nullable(),
  lastSyncAt: z.number().int().nullable(),
  /** Cloud time − register time at the last answer, ms. */
  clockSkewMs: z.number().int().nullable(),
  /** Documents the cloud put in quarantine that nobody has acknowledged yet. */
  quarantined: z.number().int().min(0),
  /** The newest of them (QUARANTINED_DOCUMENTS_SHOWN at most), each with its reason. */
  quarantinedDocuments: z.array(QuarantinedDocument).max(QUARANTINED_DOCUMENTS_SHOWN),
  /** Changes pulled from the cloud that this register could not apply: kept and retried at every pull. */
  heldChanges: z.number().int().min(0),
  /** Shared counts the cloud refused (their post, or it no longer has them), not dismissed: each with its reason. */
  refusedCounts: z.array(RefusedCount),
  /** Replays the cloud recognised and absorbed (exactly-once at work). */
  duplicatesAbsorbed: z.number().int().min(0),
  /** Why the last request failed, in words the renderer has (null: it succeeded, or a version before recorded only text). */
  lastProblem: SyncProblem.nullable(),
  /** The raw words behind it (a connection's error code, the cloud's answer), English, for IT only. */
  lastError: z.string().nullable(),
  enrolment: z
    .object({
      cloudUrl: z.string(),
      registerCode: z.string(),
      storeCode: z.string(),
      merchantName: z.string(),
      enrolledAt: z.number().int(),
    })
    .nullable(),
  /** Where the token is kept: Electron's safeStorage (OS keychain) or a 0600 file. */
  tokenStorage: z.enum(['safe-storage', 'file']),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncEnrolRequest = z.strictObject({
  cloudUrl: z
    .string()
    .trim()
    .max(200)
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'a URL like https://cloud.example.hk'),
  /** The code head office issued: case, spaces and dashes do not matter. */
  code: z.string().trim().min(4).max(40),
});
export type SyncEnrolRequest = z.infer<typeof SyncEnrolRequest>;
