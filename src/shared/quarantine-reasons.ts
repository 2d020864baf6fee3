/**
 * Why the cloud could not apply a register's mutation (cloud/domain/quarantine.ts), and what people
 * call each reason: the head office console's quarantine page and the register's 雲端同步 list both
 * read the names here, so a document put aside reads the same at the till and at head office.
 */
/** Every reason, with what it means. */
export const quarantineReasons = [
  'UNKNOWN_KIND', // this server does not know the mutation kind (a newer register?)
  'INVALID_PAYLOAD', // the payload does not match its kind's schema
  'KIND_MISMATCH', // document.sale carrying a return, for instance
  'REF_MISMATCH', // ref is not the document's receipt number
  'STORE_MISMATCH', // a document from another store than the register's
  'UNKNOWN_SKU', // a line names a SKU the merchant's catalogue does not have
  'DUPLICATE_DOCUMENT', // this receipt number has already been received under another seq
  'FOREIGN_RECEIPT_NO', // the receipt number is not in the pushing register's own series
  'DOES_NOT_ADD_UP', // lines, totals, payments, change or signs do not add up as the register computes them
  'REJECTED_BY_DATABASE', // a constraint refused it (a value out of range, for instance)
  'SEQ_CONFLICT', // a replayed seq whose content differs from what was applied under that seq
  'UNKNOWN_STORE', // a stock transfer to a store the merchant does not have
  'TRANSFER_MISMATCH', // receiving a transfer that was not sent to this store, or was received already
  'PURCHASE_ORDER_MISMATCH', // receiving against a purchase order of another store, cancelled, or received already
  'ORDER_FINAL', // an order move from a register that lost: the order was already collected or cancelled (by whom: the message)
  'ORDER_REFUSED', // an order move the order's state machine refused (unknown order, ready → preparing, …)
  'UNKNOWN_COUNT_SESSION', // an entry of a shared stocktake the cloud does not have (a late entry of a posted one is kept, refused)
  'DOCUMENT_ID_TAKEN', // a stock document under an id another document has (another kind, number, store …), or its lines re-sent with other content
  'FOREIGN_REGISTER', // a shift, cash or day-close event named for another register than the pusher (nor a revoked register of its store)
  'LEDGER_REFUSED', // a document's points, store credit or gift card movement the ledger refused (its key names another account's entry)
  'FUTURE_DATED', // dated more than an hour after the cloud's clock (a broken register clock, or a forged date): applied again once its time has come
  'DEPOSIT_NOT_COVERED', // a sale paying with an order's prepayment (已付訂金) that names no order of the merchant, or more than the order has left (which order, prepaid, left: the message)
] as const;
export type QuarantineReason = (typeof quarantineReasons)[number];

/** zh-HK and English names of every reason: the type makes a new reason without a name fail to compile. */
const names: Record<QuarantineReason, readonly [zhHK: string, english: string]> = {
  UNKNOWN_KIND: ['雲端不認識的單據類型', 'Unknown kind'],
  INVALID_PAYLOAD: ['內容格式不正確', 'Invalid content'],
  KIND_MISMATCH: ['單據類型不符', 'Kind mismatch'],
  REF_MISMATCH: ['單號不符', 'Number mismatch'],
  STORE_MISMATCH: ['分店不符', 'Wrong store'],
  UNKNOWN_SKU: ['貨號不在貨品目錄', 'Unknown SKU'],
  DUPLICATE_DOCUMENT: ['重複單據', 'Duplicate document'],
  FOREIGN_RECEIPT_NO: ['單號不屬此收銀機', 'Foreign receipt number'],
  FOREIGN_REGISTER: ['更份或日結記錄不屬此收銀機', "Another register's shift or day record"],
  DOES_NOT_ADD_UP: ['金額計算不符', 'Does not add up'],
  REJECTED_BY_DATABASE: ['資料庫拒絕', 'Refused by the database'],
  SEQ_CONFLICT: ['同一序號內容不同', 'Conflicting replay'],
  DEPOSIT_NOT_COVERED: ['已付訂金不符訂單', 'Prepayment not covered by the order'],
  FUTURE_DATED: ['日期在未來（請檢查收銀機時鐘）', "Dated in the future (check the register's clock)"],
  UNKNOWN_STORE: ['分店不存在', 'Unknown store'],
  TRANSFER_MISMATCH: ['調貨單不符', 'Transfer mismatch'],
  PURCHASE_ORDER_MISMATCH: ['採購單不符', 'Purchase order mismatch'],
  ORDER_FINAL: ['訂單已由他處完成或取消', 'Order already collected or cancelled'],
  ORDER_REFUSED: ['訂單不接受此變更', 'Order change refused'],
  UNKNOWN_COUNT_SESSION: ['盤點不存在', 'Unknown stock count'],
  DOCUMENT_ID_TAKEN: ['單據編號已被其他單據使用', 'Document id already taken'],
  LEDGER_REFUSED: ['積分、儲值或禮品卡記賬被拒', 'Points, credit or gift card movement refused'],
};

/**
 * The reason's name in the reader's language (`tr` picks zh-HK or English). A reason this list does
 * not know (a newer cloud's, or a row kept from an older one) shows as its code.
 */
export function quarantineReasonName(tr: (zhHK: string, english: string) => string, code: string): string {
  const found = (names as Record<string, readonly [string, string]>)[code];
  return found ? tr(found[0], found[1]) : code;
}
