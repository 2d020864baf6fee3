/**
 * Errors of the cloud service. Each has a stable `code` (registers, the admin CLI and tests match on
 * it: add codes, never rename) and the HTTP status it answers with.
 */
export const cloudErrorStatus = {
  BAD_REQUEST: 400, // the body or query does not match the endpoint's schema
  INVALID_JSON: 400, // the body is not JSON at all
  INVALID_BATCH: 400, // mutations not in strictly consecutive seq order
  UNAUTHORIZED: 401, // no bearer token
  TOKEN_INVALID: 401, // a token the server does not know (or an old one after rotation)
  TOKEN_REVOKED: 401, // the register was revoked: enrol again with a new code
  TOKEN_ROTATED: 401, // the token a rotation replaced: only the rotation itself may be retried with it
  ENROLMENT_CODE_INVALID: 401,
  SHOP_KEY_INVALID: 401, // not a shop key, or one the cloud does not know
  SHOP_KEY_REVOKED: 401, // head office revoked this shop key
  FORBIDDEN: 403, // another register's id in the path
  NOT_FOUND: 404,
  ENROLMENT_CODE_USED: 409,
  INSUFFICIENT_BALANCE: 409, // a redemption the account's balance does not cover (decided under the account's lock)
  GIFT_CARD_UNUSABLE: 409, // a gift card that is not active (issued and not sold yet, or void): `status` in the body
  IDEMPOTENCY_CONFLICT: 409, // the idempotency key was already used for a different movement
  ORDER_FINAL: 409, // the order was already collected or cancelled: the body says by whom (finalBy), when and on which receipt
  CLAIM_RELEASED: 409, // a register's claim on an order (collect or pickup before a sale) it already released: it arrived late; nothing was taken
  CLAIM_STANDING: 409, // a register's claim naming an id while another claim of its own (made with another id it did not name as superseded) stands on that number: nothing was taken
  COUNT_ALREADY_POSTED: 409, // a shared stocktake was already posted (or cancelled): the body says by whom (postedBy) and when (postedAt)
  COUNT_ID_TAKEN: 409, // a shared stocktake whose id a register's own stock document already has: it cannot post; cancel it and count again
  COUNT_PARTICIPANTS_UNSENT: 409, // a participant of a shared stocktake may have entries the cloud has not seen: post again with acceptUnsent
  ORDER_TRANSITION_INVALID: 409, // a move the order's state machine does not allow (e.g. ready → preparing)
  TOTAL_MISMATCH: 409, // the caller's expected total or paid amount is not what the cloud's prices make (cloudTotal in the body)
  RETURN_POINTS_SETTLED: 409, // a waiting return head office would close whose original came first and took the points, or that someone closed first
  SEQ_GAP: 409, // the batch starts after lastAppliedSeq + 1: resend from lastAppliedSeq + 1
  ENROLMENT_CODE_EXPIRED: 410,
  SNAPSHOT_REQUIRED: 410, // the cursor is older than the retention horizon (or from another database)
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429, // honour Retry-After
  INTERNAL: 500,
  UNAVAILABLE: 503, // the database is unreachable or too slow, or the server is shutting down: retry
  // The head office console (/hq/api):
  LOGIN_FAILED: 401, // wrong email or password (which one is never said)
  TOTP_REQUIRED: 401, // right password; the account also needs its authenticator's code
  TOTP_INVALID: 401, // wrong, old or reused authenticator code
  SESSION_REQUIRED: 401, // no console session, or it expired: log in again
  CSRF_FAILED: 403, // a write without the session's X-CSRF-Token, or from another site
  PERMISSION_DENIED: 403, // the user's role (or store scope) does not allow it
  CONFLICT: 409, // already exists (an email, a store code)
  LOCKED_OUT: 423, // too many wrong attempts: the account waits, or an owner unlocks it
} as const;

export type CloudErrorCode = keyof typeof cloudErrorStatus;

export interface Issue {
  path: string;
  message: string;
}

export class CloudError extends Error {
  readonly status: number;

  constructor(
    readonly code: CloudErrorCode,
    message: string,
    /** Extra fields of the error body (e.g. lastAppliedSeq for SEQ_GAP), or field-level issues. */
    readonly details: { issues?: Issue[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'CloudError';
    this.status = cloudErrorStatus[code];
  }
}

/** Errors of the admin side (CLI): bad arguments, unknown or ambiguous names. */
export class AdminError extends Error {
  constructor(
    readonly code: 'USAGE' | 'NOT_FOUND' | 'AMBIGUOUS' | 'INVALID' | 'CONFLICT',
    message: string,
    /** the fields at fault, when the input was an object (the console shows each beside its field) */
    readonly issues: Issue[] = [],
    /** `cause`: the cloud's own error behind it, which the console answers with (cloud/hq/router.ts) */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AdminError';
  }
}
