/**
 * The console speaks Hong Kong Chinese (default) and English; F10 switches, as on the register,
 * and the choice is remembered in this browser. Screens write both texts side by side with `tr`
 * (`tr('今日銷售', "Today's sales")`), so a screen added by another issue brings its own words
 * without touching a shared file. Error codes from the cloud are translated here, in one table.
 */
import type { consoleErrorCodes } from '../hq/contract';

export type Lang = 'zh-HK' | 'en';
export const LANG_STORAGE_KEY = 'suanpan.hq.language';

export type Tr = (zh: string, en: string) => string;
export const trFor =
  (lang: Lang): Tr =>
  (zh, en) =>
    lang === 'en' ? en : zh;

type ErrorCode = (typeof consoleErrorCodes)[number];

const errorTexts: Record<ErrorCode, [string, string]> = {
  BAD_REQUEST: ['輸入有誤，請檢查後再試', 'Some input is not valid: check it and try again'],
  LOGIN_FAILED: ['電郵或密碼不正確', 'Wrong email or password'],
  LOCKED_OUT: [
    '嘗試次數過多，帳戶已暫時鎖定；請稍後再試或聯絡東主解鎖',
    'Too many attempts: the account is locked for a while, or until an owner unlocks it',
  ],
  TOTP_REQUIRED: ['請輸入驗證器 App 的六位數字', 'Type the six-digit code from your authenticator app'],
  TOTP_INVALID: ['驗證碼不正確或已用過，請輸入目前的驗證碼', 'That code is wrong or already used: type the current one'],
  SESSION_REQUIRED: ['登入已過期，請重新登入', 'Your session has ended: log in again'],
  CSRF_FAILED: ['請求被拒絕，請重新載入頁面', 'The request was refused: reload the page'],
  PERMISSION_DENIED: ['你的職位不可進行此操作', 'Your role may not do this'],
  NOT_FOUND: ['找不到此項目（可能已被刪除或不屬於你的分店）', 'Not found (it may be gone, or not one of your stores)'],
  CONFLICT: ['已有相同的項目', 'That already exists'],
  RATE_LIMITED: ['嘗試太頻密，請稍後再試', 'Too many attempts from here: wait a moment'],
  ORDER_FINAL: ['訂單已被取貨或取消，不能再更改', 'The order was already collected or cancelled: it cannot change'],
  ORDER_TRANSITION_INVALID: ['訂單目前的狀態不可作此更改', 'The order’s status does not allow this change'],
  TOTAL_MISMATCH: ['價錢已更改，請重新計算總額', 'Prices have changed: price the order again'],
  IDEMPOTENCY_CONFLICT: ['此訂單編號已用於另一張訂單，請重新開始', 'That order number was used for another order: start again'],
  UNAVAILABLE: ['未能連接雲端，請稍後再試', 'The cloud cannot be reached: try again shortly'],
  INTERNAL: ['雲端發生錯誤，請稍後再試', 'The cloud had an error: try again shortly'],
  INSUFFICIENT_BALANCE: ['結餘不足：調整後不可少於零', 'Not enough on the balance: it cannot go below zero'],
  RETURN_POINTS_SETTLED: [
    '此退貨已有結果：原單剛到達並已扣回積分，或已有人結束了它。不能再結束。',
    'This return is settled already: its original has just arrived and taken the points, or someone closed it first. It cannot be closed.',
  ],
};

/** A refusal in the screen's language; for bad input the cloud's own words name the field. */
export function errorText(lang: Lang, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const texts = typeof code === 'string' && code in errorTexts ? errorTexts[code as ErrorCode] : errorTexts.INTERNAL;
  const text = lang === 'en' ? texts[1] : texts[0];
  return code === 'BAD_REQUEST' && typeof message === 'string' ? `${text} (${message})` : text;
}

export function storedLang(): Lang {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'zh-HK';
  } catch {
    return 'zh-HK';
  }
}

export function storeLang(lang: Lang): void {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice is not remembered
  }
}
