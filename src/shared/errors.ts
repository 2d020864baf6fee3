/**
 * The error envelope every channel answers with. Codes are stable: the renderer, the tests and
 * support scripts match on them, so add new ones, never rename.
 */
export const errorCodes = [
  'BAD_MESSAGE', // the frame itself is not a request (not JSON, no id, no channel)
  'PAYLOAD_TOO_LARGE', // the frame is over the size limit; nothing was dispatched
  'RATE_LIMITED', // this window sent more requests than the register takes from one window; nothing was dispatched
  'DISK_FULL', // the disk holding the register's data is full: nothing was written; free space (or call IT) and try again
  'UNKNOWN_CHANNEL', // no such channel in the contract
  'BAD_REQUEST', // the payload does not match the channel's schema
  'NOT_LOGGED_IN', // the channel needs a staff member and nobody is logged in
  'FORBIDDEN', // the logged-in staff member's role may not do this
  'PIN_INVALID', // wrong PIN
  'LOCKED_OUT', // too many wrong PINs; try again later or ask a manager
  'NOT_FOUND',
  'BARCODE_INVALID', // a misread: wrong check digit or length; scan again (never a wrong product)
  'ITEM_NOT_FOUND', // a valid code that no product has; a manager can add it there
  'APPROVAL_REQUIRED', // over the staff member's limit: resend with a manager's approval
  'CONFLICT',
  'DISCONNECTED', // the register core cannot be reached (the kiosk host stopped); retry
  'DEVICE_URI_INVALID', // hardware: a device URI that does not parse (unknown scheme, bad port …)
  'PRINTER_PROFILE_INVALID', // hardware: a printer profile that is unknown or does not parse
  'DEVICE_FAILED', // hardware: the device did not answer, refused, or is not ready (cover open, paper out)
  'PRINTER_STATUS_GARBLED', // hardware: the printer answered status with bytes that are not ESC/POS status
  'ENROLMENT_REFUSED', // sync: the cloud refused the enrolment for a reason this register has no words for (a newer cloud's code); the detail says which
  'ENROLMENT_BUSY', // sync: an enrolment is already running on this register (the preset file's, or from another window); wait, then look at the status
  'CLOUD_UNREACHABLE', // sync: the cloud did not answer (wrong URL, no network, the cloud is down); try again
  'ENROLMENT_CODE_INVALID', // enrolment: the cloud does not know this code (a typo, or another cloud's): check it, or ask head office for a new one
  'ENROLMENT_CODE_USED', // enrolment: the code was already used (by this register or another): ask head office for a new one
  'ENROLMENT_CODE_EXPIRED', // enrolment: the code is over its hour: ask head office for a new one
  'ENROLMENT_RATE_LIMITED', // enrolment: the cloud refuses more attempts from this address for a while (values.seconds: how long)
  'ALREADY_ENROLLED', // enrolment: this register is enrolled already: forget the enrolment first
  'CLOUD_CERTIFICATE', // sync: no secure connection to the address (a certificate expired, self-signed or for another name; https to a plain http port)
  'CLOUD_NOT_SUANPAN', // sync: something answered at the address, but not a Suanpan cloud (a web page, no such path): check the address
  'CLOUD_FAILED', // sync: the cloud answered with its own failure (HTTP 5xx, an error page of its load balancer): try again later, then tell head office
  'BACKUP_INVALID', // backup: the file is not a Suanpan backup, is damaged or cut short, or fails its checksum
  'BACKUP_PASSPHRASE', // backup: the backup is encrypted and the passphrase is missing or wrong
  'BACKUP_FAILED', // backup: the copy could not be made or failed its integrity check (disk, folder, damaged database)
  'BACKUP_BUSY', // backup: another backup or a restore is running; try again when it ends
  'RESTORE_REFUSED', // restore: the backup cannot be restored here (newer schema, confirmation not typed)
  'RESTORING', // the register is restoring a backup: nothing was done; it is back in a moment
  'STOCK_DOCUMENT_CLOSED', // stock: the receiving, count, transfer or adjustment was already posted or cancelled (by someone else, maybe)
  'STOCK_DOCUMENT_EMPTY', // stock: nothing scanned yet, so nothing to post
  'COUNT_ALREADY_POSTED', // stock: a shared count was already posted in the cloud (values: postedBy, postedAt)
  'COUNT_PARTICIPANTS_UNSENT', // stock: another register of a shared count may still hold unsent scans (values: registers); post again to accept
  'COUNT_ID_TAKEN', // stock: the cloud cannot post a shared count, another stock document has its id; cancel it and count again
  'COUNT_NOT_IN_CLOUD', // stock: the cloud no longer has this shared count (deleted there): it cannot be posted; cancel it here and count again
  'COUNT_ENTRIES_UNSENT', // stock: this register's scans of a shared count have not reached the cloud yet (values: count)
  'ORDER_FINAL', // orders: already collected or cancelled (by another register or the shop: the order shows who)
  'ORDER_TRANSITION_INVALID', // orders: the order's status does not allow this move
  'ORDER_CLASH', // orders: the order shows a clash with another register; nothing more is handed over until it is acknowledged
  'ORDER_CLAIM_STANDING', // orders: an earlier collection of this order on this register (a sale voided or set aside) still holds it in the cloud, its release not arrived yet: nothing was collected; try again once 待同步 is down
  'ORDER_CLAIM_RELEASED', // orders: the cloud got this sale's claim on the order after its release (late, or sent again): nothing was collected; try again
  'ORDER_LOCKED', // orders: the cart collects an order; its items and prices are the order's
  'CART_NOT_EMPTY', // orders: an order opens in an empty cart; finish, suspend or void the sale first
  'LABEL_BARCODE_INVALID', // labels: the product's barcode cannot go on a label (wrong check digit); fix it in the catalogue
  'LABELS_BUSY', // labels: another print of the label queue is running; try again when it ends
  'UPDATE_FEED', // updates: the update feed did not answer, or is not an electron-builder feed (latest.yml)
  'UPDATE_DOWNLOAD', // updates: the new version's installer did not download (connection lost, server error)
  'UPDATE_CHECKSUM', // updates: the downloaded installer does not match the feed's SHA-512 or size: it was thrown away
  'UPDATE_INSTALL', // updates: the installer could not be started, or the new version did not come up; the old one runs on
  'STORED_VALUE_NO_MEMBER', // stored value: points or store credit pay only with a member on the sale
  'INSUFFICIENT_BALANCE', // stored value: the account does not hold that much (values.available: what it may pay now, cents)
  'OFFLINE_DAILY_LIMIT', // stored value: offline, this account's limit for today is reached (values.available, cents)
  'GIFT_CARD_INVALID', // gift card: not a 19-digit code, or a wrong check digit (a misread or a typo): scan or type it again
  'GIFT_CARD_UNKNOWN', // gift card: head office did not issue it, or this register has not pulled it yet
  'GIFT_CARD_UNKNOWN_OFFLINE', // gift card: not on this register, and the cloud cannot be asked (offline, or no answer in time)
  'GIFT_CARD_LOOKUP_LIMITED', // gift card: the cloud refuses more look-ups from this register for a while (too many wrong codes)
  'GIFT_CARD_VOID', // gift card: voided (refunded, or by head office): refused everywhere
  'GIFT_CARD_NOT_SOLD', // gift card: issued but not sold yet, so worth nothing: sell it first
  'GIFT_CARD_ALREADY_SOLD', // gift card: already active (or on another open sale): it cannot be sold again
  'GIFT_CARD_USED_UP', // gift card: nothing is left on it
  'GIFT_CARD_INSUFFICIENT', // gift card: it does not hold that much (values.availableCents: what it may pay now)
  'GIFT_CARD_OFFLINE_LIMIT', // gift card: offline, its limit for today is reached (values.availableCents)
  'GIFT_CARD_REFUND_OVER', // gift card: a refund to the card is more than it paid on the returned sale (values.availableCents)
  'STORED_VALUE_REFUND_OVER', // points / store credit: a refund is more than the account paid on the returned sale (values.kind, availableCents)
  'MEMBER_RETURN_SALE_MEMBER', // member: the cart returns goods of a sale of another member (its points come off that member): keep that member on the cart, or take the returned lines off
  'STORED_VALUE_REFUND_OTHER_MEMBER', // points / store credit: the returned sale was paid by another member (or none): nothing goes back to this one's account; refund by another method (values.kind)
  'GIFT_CARD_SPENT', // gift card: the sale that sold it cannot be refunded, part of the card was already spent
  'TRAINING_MODE', // training: the register (or this login) is in 練習模式 training, where this would change the shop's real figures
  'DISCOUNT_OVER_LIMIT', // sale: a discount is more than whoever gave or approved it may give now: enter it again, or have a manager approve it
  'DISCOUNT_MORE_THAN_CART', // cart: an amount cart discount more than the cart it is taken from (values: askedCents, cartCents)
  'DISCOUNT_MORE_THAN_LINE', // cart: an amount line discount more than the line after its promotions (values: askedCents, lineCents)
  'INTERNAL', // a bug or an environment failure; details are in the log, not the message
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface PosErrorBody {
  code: ErrorCode;
  message: string;
  /** Field-level detail for BAD_REQUEST: path → message. */
  issues?: { path: string; message: string }[];
  /** Figures the cashier's words need (e.g. `available` cents), interpolated into the translated text. */
  values?: Record<string, number | string>;
  /**
   * Another system's own words behind the refusal (the cloud's answer, a connection's error code):
   * English and technical, so a screen shows them only labelled for IT, never as what happened.
   */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PosErrorBody };

/** Thrown by handlers and domain services; the router turns it into an error envelope. */
export class PosError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: PosErrorBody['issues'],
    readonly values?: PosErrorBody['values'],
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PosError';
  }

  toBody(): PosErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.values ? { values: this.values } : {}),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, issues?: PosErrorBody['issues']): Result<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});
