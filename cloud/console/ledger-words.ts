/**
 * The words of the member and gift card ledgers, in the reader's language: what each movement's
 * reason is called, how an amount reads in its account's unit (points as points, everything else
 * as HK$ from cents), and the sentences that say what a ledger exception is about and what the
 * cloud noted on a movement, made from the facts the cloud stored with them (LedgerExceptionFacts
 * and LedgerNoteFacts in cloud/hq/contract.ts), never from the cloud's English words.
 */
import type { LedgerExceptionFacts, LedgerNoteFacts, LedgerReason } from '../hq/contract';
import { formatHKD } from '../../src/shared/money';
import { maskGiftCard } from '../../src/shared/gift-card';
import { formatDateTime } from '../../src/shared/store-time';
import type { Lang, Tr } from './i18n';

type Account = 'points' | 'credit' | 'gift';

const reasonNames: Record<LedgerReason, [string, string]> = {
  earn: ['賺取', 'Earned'],
  reverse: ['退貨扣回', 'Reversed'],
  redeem: ['使用', 'Redeemed'],
  refund: ['退回', 'Refunded'],
  adjust: ['調整', 'Adjusted'],
  issue: ['增值', 'Loaded'],
  release: ['未成交退回', 'Released (no sale)'],
  void: ['作廢', 'Voided'],
};

/** A movement's reason as the ledger shows it; on a gift card a redeem is spending it. */
export function ledgerReasonName(tr: Tr, reason: LedgerReason, account: Account): string {
  if (account === 'gift' && reason === 'redeem') return tr('使用', 'Spent');
  if (account === 'gift' && reason === 'reverse') return tr('扣回', 'Reversed');
  return tr(...reasonNames[reason]);
}

export function formatPoints(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'en' ? 'en-HK' : 'zh-HK');
}

/** A figure of an account: points as a number, store credit and gift cards as HK$ (they are kept in cents). */
export function accountFigure(n: number, account: Account, lang: Lang): string {
  return account === 'points' ? formatPoints(n, lang) : formatHKD(n, lang);
}

/** An amount with what it is of: `18 積分`, `儲值額 HK$5.00`, `HK$5.00 of store credit`. */
function amountOf(tr: Tr, lang: Lang, account: Account, n: number): string {
  const figure = accountFigure(n, account, lang);
  if (account === 'points') return tr(`${figure} 積分`, `${figure} ${n === 1 ? 'point' : 'points'}`);
  if (account === 'credit') return tr(`儲值額 ${figure}`, `${figure} of store credit`);
  return tr(`禮品卡 ${figure}`, `${figure} of gift card value`);
}

/** A figure with its unit: `18 積分` / `18 points`, or HK$ from cents. */
function unitAmount(tr: Tr, lang: Lang, account: Account, n: number): string {
  const figure = accountFigure(n, account, lang);
  return account === 'points' ? tr(`${figure} 積分`, `${figure} ${n === 1 ? 'point' : 'points'}`) : figure;
}

const releaseWhy: Record<Extract<LedgerNoteFacts, { case: 'released_by_register' }>['why'], [string, string]> = {
  'completion-failed': ['銷售未能完成', 'the sale could not be completed'],
  'not-on-sale': ['銷售沒有用上這筆扣除', 'the sale did not use it'],
  'cart-voided': ['銷售已取消', 'the sale was voided'],
};

/** What the cloud noted on a movement of `account`, in one line of the reader's language. */
export function noteSentence(tr: Tr, lang: Lang, facts: LedgerNoteFacts, account: Account): string {
  switch (facts.case) {
    case 'issued_in_batch':
      return tr(`批次 ${facts.batch} 發行`, `Issued in batch ${facts.batch}`);
    case 'returned_on':
      return tr(`於 ${facts.receiptNo} 退貨收回`, `Taken back on return ${facts.receiptNo}`);
    case 'sale_paid_other_than_online': {
      const paid = unitAmount(tr, lang, account, facts.salePaid);
      const online = unitAmount(tr, lang, account, facts.takenOnline);
      return tr(`銷售付了 ${paid}，網上已扣 ${online}`, `The sale paid ${paid}; ${online} was taken online under its key`);
    }
    case 'released_by_register':
      return tr(
        `收銀機退回（${tr(...releaseWhy[facts.why])}）：沒有銷售包含這筆扣除`,
        `Released by the register (${tr(...releaseWhy[facts.why])}): no sale carries it`,
      );
  }
}

/** What a ledger exception is about, in one sentence of the reader's language. */
export function exceptionSentence(tr: Tr, lang: Lang, facts: LedgerExceptionFacts, timeZone: string): string {
  const money = (cents: number) => formatHKD(cents, lang);
  switch (facts.case) {
    case 'overdraft': {
      const taken = amountOf(tr, lang, facts.account, facts.taken);
      const before = accountFigure(facts.before, facts.account, lang);
      const after = accountFigure(facts.after, facts.account, lang);
      return tr(
        `${ledgerReasonName(tr, facts.reason, facts.account)} ${taken}後，結餘由 ${before} 變為 ${after}`,
        `${ledgerReasonName(tr, facts.reason, facts.account)} ${taken}: the balance went from ${before} to ${after}`,
      );
    }
    case 'unknown_member':
      return tr(
        `單據上的會員 ${facts.memberCode} 雲端不認識，未有給予積分`,
        `The document names member ${facts.memberCode}, which the cloud does not know: no points were given`,
      );
    case 'refund_over': {
      const original = facts.originalReceiptNo ?? '';
      const accountName = facts.account === 'points' ? tr('積分', 'points') : tr('儲值額', 'store credit');
      const member = facts.memberCode === null ? '' : tr(`（會員 ${facts.memberCode}）`, ` (member ${facts.memberCode})`);
      const why =
        facts.why === 'no_original'
          ? tr('退貨沒有註明原單', 'the return names no original sale')
          : facts.why === 'other_member'
            ? tr(`原單 ${original} 由另一會員付款（或非會員）`, `the original ${original} was paid by another member (or none)`)
            : tr(
                `原單 ${original} 以此付款而未退回的只有 ${money(facts.credited)}`,
                `of what the original ${original} paid with it, only ${money(facts.credited)} was not yet given back`,
              );
      return tr(
        `退貨以${accountName}退回 ${money(facts.paidBack)}${member}，但只計入 ${money(facts.credited)}：${why}`,
        `The return paid back ${money(facts.paidBack)} in ${accountName}${member}, but only ${money(facts.credited)} was credited: ${why}`,
      );
    }
    case 'redemption_open': {
      const who = facts.registerCode === null ? facts.source : tr(`收銀機 ${facts.registerCode}`, `Register ${facts.registerCode}`);
      const when = formatDateTime(facts.takenAt, timeZone);
      const taken = amountOf(tr, lang, facts.account, facts.taken);
      return tr(
        `${who}於 ${when} 在網上扣除 ${taken}，但沒有銷售單據包含這筆扣除，收銀機亦未退回`,
        `${who} took ${taken} online at ${when}; no sale carries it and the register has not released it`,
      );
    }
    case 'gift_card_not_issued':
      return tr(
        `單據上的禮品卡 ${maskGiftCard(facts.last4)} 並非由雲端發行`,
        `The document names gift card ${maskGiftCard(facts.last4)}, which the cloud did not issue`,
      );
    case 'gift_card_paid_not_issued':
      return tr('單據以一張並非由雲端發行的禮品卡付款', 'The document paid with a gift card the cloud did not issue');
    case 'gift_card_sold_while':
      return facts.status === 'void'
        ? tr(
            `禮品卡 ${maskGiftCard(facts.last4)} 售出時已作廢（仍照樣增值）`,
            `Gift card ${maskGiftCard(facts.last4)} was sold while it was void (it was loaded all the same)`,
          )
        : tr(
            `禮品卡 ${maskGiftCard(facts.last4)} 售出時已經啟用（仍照樣增值）`,
            `Gift card ${maskGiftCard(facts.last4)} was sold while it was already active (it was loaded all the same)`,
          );
    case 'gift_card_refund_over':
      return tr(
        `禮品卡 ${maskGiftCard(facts.last4)} 退貨退回 ${money(facts.refunded)}，但卡上只餘 ${money(facts.left)}`,
        `Gift card ${maskGiftCard(facts.last4)} was taken back for ${money(facts.refunded)} with only ${money(facts.left)} left on it`,
      );
    case 'gift_card_refund_beyond_paid': {
      const original = facts.originalReceiptNo ?? '';
      const why =
        facts.why === 'no_original'
          ? tr('退貨沒有註明原單', 'the return names no original sale')
          : tr(
              `原單 ${original} 以此卡付款而未退回的只有 ${money(facts.credited)}`,
              `of what the original ${original} paid with the card, only ${money(facts.credited)} was not yet given back`,
            );
      return tr(
        `退貨退回 ${money(facts.paidBack)} 到禮品卡 ${maskGiftCard(facts.last4)}，但只計入 ${money(facts.credited)}：${why}`,
        `The return paid back ${money(facts.paidBack)} to gift card ${maskGiftCard(facts.last4)}, but only ${money(facts.credited)} was credited: ${why}`,
      );
    }
  }
}
