/**
 * 會員 › 禮品卡 Gift cards (issue 13): the merchant's cards, masked (last 4 only: the codes are never
 * kept), newest first, found by their last 4 or batch; a card's balance and ledger; an owner or HQ
 * manager voids a card with a reason (audited; the cloud refuses anyone else), and every register
 * refuses it from its next pull. Cards are issued with the admin CLI (issue-gift-cards).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { GiftCardList, GiftCardPage, GiftCardRow } from '../../hq/contract';
import { maskGiftCard } from '../../../src/shared/gift-card';
import { useConsole, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { ErrorLine, Money, When, useAction, useLoad } from '../parts';
import { ledgerReasonName } from '../ledger-words';
import { LedgerNote } from '../ledger-note';

const PAGE_SIZE = 25;

function statusName(tr: Tr, status: GiftCardRow['status']): string {
  return status === 'issued' ? tr('未售出', 'Not sold') : status === 'active' ? tr('已啟用', 'Active') : tr('已作廢', 'Void');
}

export function GiftCards() {
  const [open, setOpen] = useState<number | null>(null);
  return open === null ? <GiftCardSearch onOpen={setOpen} /> : <GiftCardView key={open} id={open} onBack={() => setOpen(null)} />;
}

function GiftCardSearch({ onOpen }: { onOpen(id: number): void }) {
  const tr = useTr();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(text.trim());
      setOffset(0);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const { data, error } = useLoad<GiftCardList>(`/gift-cards?limit=${PAGE_SIZE}&offset=${offset}&q=${encodeURIComponent(query)}`);
  const cards = data?.cards ?? [];
  return (
    <div className="hq-split-list">
      <p className="hq-muted">
        {tr(
          '禮品卡以管理指令 issue-gift-cards 發行（號碼只列印一次，雲端只保存雜湊）；收銀機售出時啟用。',
          'Cards are issued with the admin command issue-gift-cards (the numbers are printed once; the cloud keeps only their hashes); a register activates a card when it sells it.',
        )}
      </p>
      <label className="hq-search">
        <span className="visually-hidden">{tr('搜尋禮品卡', 'Search gift cards')}</span>
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={tr('卡號末四位或批次', 'Last 4 digits or batch')}
          data-testid="gift-cards-search"
        />
      </label>
      <ErrorLine error={error} />
      <table className="hq-table hq-pick" data-testid="gift-cards-results">
        <thead>
          <tr>
            <th>{tr('禮品卡', 'Card')}</th>
            <th>{tr('狀態', 'Status')}</th>
            <th className="num">{tr('餘額', 'Balance')}</th>
            <th>{tr('批次', 'Batch')}</th>
            <th>{tr('發行', 'Issued')}</th>
          </tr>
        </thead>
        <tbody>
          {cards.map((c) => (
            <tr
              key={c.id}
              tabIndex={0}
              className={c.status === 'void' ? 'inactive' : undefined}
              onClick={() => onOpen(c.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onOpen(c.id);
                }
              }}
              data-testid={`gift-card-${c.last4}`}
            >
              <td className="nowrap">{maskGiftCard(c.last4)}</td>
              <td className="nowrap">{statusName(tr, c.status)}</td>
              <td className="num">
                <Money cents={c.balance} />
              </td>
              <td className="nowrap">{c.batch}</td>
              <td className="nowrap">
                <When ms={c.issuedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && cards.length === 0 ? <p className="hq-muted">{tr('找不到禮品卡', 'No gift card found')}</p> : null}
      <div className="hq-row spread">
        <span />
        <span className="hq-row">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            {tr('上一頁', 'Previous')}
          </button>
          <button type="button" disabled={!data?.hasMore} onClick={() => setOffset(offset + PAGE_SIZE)}>
            {tr('下一頁', 'Next')}
          </button>
        </span>
      </div>
    </div>
  );
}

function GiftCardView({ id, onBack }: { id: number; onBack(): void }) {
  const tr = useTr();
  const may = useMay();
  const { data, error, reload } = useLoad<GiftCardPage>(`/gift-cards/${id}`);
  const card = data?.card;
  return (
    <div className="hq-split-list" data-testid="gift-card-view">
      <div className="hq-row">
        <button type="button" onClick={onBack} data-testid="gift-card-back">
          ← {tr('返回', 'Back')}
        </button>
        {card ? <h2 data-testid="gift-card-title">{`${tr('禮品卡', 'Gift card')} ${maskGiftCard(card.last4)}`}</h2> : null}
      </div>
      <ErrorLine error={error} />
      {card && data ? (
        <>
          <div className="hq-cards">
            <div className="hq-card">
              <span className="hq-card-label">{tr('餘額', 'Balance')}</span>
              <span className="hq-card-figure" data-testid="gift-card-balance">
                <Money cents={card.balance} />
              </span>
              <span className="hq-muted" data-testid="gift-card-status">
                {statusName(tr, card.status)}
              </span>
            </div>
          </div>
          <div className="hq-split">
            <dl className="hq-facts">
              <dt>{tr('批次', 'Batch')}</dt>
              <dd>{card.batch}</dd>
              <dt>{tr('售出單號', 'Sold on')}</dt>
              <dd>{card.soldOn ?? '—'}</dd>
              {card.status === 'void' ? (
                <>
                  <dt>{tr('作廢原因', 'Void reason')}</dt>
                  <dd className="wrap" data-testid="gift-card-void-reason">
                    {card.voidReason === null && !card.voidFacts ? (
                      '—'
                    ) : (
                      <LedgerNote text={card.voidReason} facts={card.voidFacts} cloud={card.voidReasonCloud} account="gift" />
                    )}{' '}
                    <span className="hq-muted">· {card.voidedBy ?? ''}</span>
                  </dd>
                </>
              ) : null}
            </dl>
            {card.status !== 'void' && may('members.manage') ? <VoidForm id={card.id} onDone={reload} /> : null}
            {card.status !== 'void' && !may('members.manage') ? (
              <p className="hq-muted">{tr('你的職位只可檢視', 'Your role may only view')}</p>
            ) : null}
          </div>
          <div className="hq-scroll-x" data-scrolls-x>
            <table className="hq-table" data-testid="gift-card-ledger">
              <thead>
                <tr>
                  <th>{tr('時間', 'When')}</th>
                  <th>{tr('項目', 'Movement')}</th>
                  <th className="num">{tr('金額', 'Amount')}</th>
                  <th className="num">{tr('結餘', 'Balance')}</th>
                  <th>{tr('單號', 'Receipt')}</th>
                  <th>{tr('備註', 'Note')}</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.id} data-testid={`gift-card-entry-${e.reason}`}>
                    <td className="nowrap">
                      <When ms={e.at} />
                    </td>
                    <td className="nowrap">{ledgerReasonName(tr, e.reason, 'gift')}</td>
                    <td className="num">
                      <Money cents={e.amount} />
                    </td>
                    <td className="num">
                      <Money cents={e.balanceAfter} />
                    </td>
                    <td className="nowrap">{e.document ?? '—'}</td>
                    <td className="wrap small" data-testid="gift-card-entry-note">
                      <LedgerNote text={e.note} facts={e.noteFacts} cloud={e.cloudNote} account="gift" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}

function VoidForm({ id, onDone }: { id: number; onDone(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const [reason, setReason] = useState('');
  const save = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return;
    if (await save.run(() => api.post(`/gift-cards/${id}/void`, { reason: reason.trim() }))) onDone();
  };
  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="gift-card-void-form">
      <h3>{tr('作廢禮品卡', 'Void this card')}</h3>
      <p className="hq-muted">
        {tr('作廢後各收銀機於下次同步起拒收此卡，餘額清零。', 'Every register refuses it from its next sync; its balance goes to zero.')}
      </p>
      <label>
        <span>{tr('原因', 'Reason')}</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          required
          data-testid="gift-card-void-reason-input"
        />
      </label>
      <ErrorLine error={save.error} />
      <button type="submit" disabled={save.busy || reason.trim() === ''} data-testid="gift-card-void">
        {tr('作廢', 'Void')}
      </button>
    </form>
  );
}
