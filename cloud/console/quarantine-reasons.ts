/** What the console calls each reason the cloud quarantines a register's mutation for (cloud/domain/quarantine.ts). */
import type { QuarantineReason } from '../hq/contract';

export function reasonName(tr: (zh: string, en: string) => string, code: string): string {
  // Every reason the cloud gives has its name here: the type makes a new reason fail to compile.
  const names: Record<QuarantineReason, [string, string]> = {
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
    UNKNOWN_STORE: ['分店不存在', 'Unknown store'],
    TRANSFER_MISMATCH: ['調貨單不符', 'Transfer mismatch'],
    PURCHASE_ORDER_MISMATCH: ['採購單不符', 'Purchase order mismatch'],
    ORDER_FINAL: ['訂單已由他處完成或取消', 'Order already collected or cancelled'],
    ORDER_REFUSED: ['訂單不接受此變更', 'Order change refused'],
    UNKNOWN_COUNT_SESSION: ['盤點不存在', 'Unknown stock count'],
    DOCUMENT_ID_TAKEN: ['單據編號已被其他單據使用', 'Document id already taken'],
    LEDGER_REFUSED: ['積分、儲值或禮品卡記賬被拒', 'Points, credit or gift card movement refused'],
  };
  const found = (names as Record<string, [string, string]>)[code];
  return found ? tr(found[0], found[1]) : code;
}
