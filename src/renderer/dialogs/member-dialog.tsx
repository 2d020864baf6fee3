import { useEffect, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberHistory, MemberView } from '../../shared/member-schemas';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useStoreTime } from '../hooks/use-store-time';
import { useCart, useMember, usePosStores } from '../stores/stores-context';

/** A tier as the counter says it (金卡會員 / Gold); a tier head office invented shows as it is named. */
export function useTierName(): (tier: string) => string {
  const { t } = useTranslation();
  return (tier) => (['standard', 'silver', 'gold', 'platinum'].includes(tier) ? t(`member.tiers.${tier}` as 'member.tiers.gold') : tier);
}

/**
 * F8 會員: find a member by phone, member code or a scanned card (a card scanned anywhere puts the
 * member on the sale at once), add them to the sale, take them off (⇧F8), see their recent
 * purchases, or enrol a new member (F2). Enter searches, and Enter again adds the one found.
 */
export function MemberDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { member, ui } = usePosStores();
  const onSale = useCart((s) => s.cart?.member ?? null);
  const query = useMember((s) => s.query);
  const finding = useMember((s) => s.finding);
  const found = useMember((s) => s.found);
  const source = useMember((s) => s.source);
  const problem = useMember((s) => s.problem);
  const failure = useMember((s) => s.failure);
  const close = () => ui.getState().close();
  const shown = found ?? onSale;

  // The history of whoever is shown: the one found, else the one on the sale.
  useEffect(() => {
    if (shown && member.getState().historyFor !== shown.code) void member.getState().loadHistory(shown.code);
  }, [shown, member]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (found) {
      const outcome = await member.getState().attach();
      if (outcome.ok) close();
      return;
    }
    await member.getState().find();
  };

  const enrol = () => {
    member.getState().startEnrol(query);
    ui.getState().open({ kind: 'member-enrol' });
  };

  return (
    <Dialog title={t('member.title')} testId="dialog-member" onClose={close} size="large">
      <form className="returns-find" onSubmit={(e) => void submit(e)}>
        <label className="field is-wide">
          <span className="field-label">{t('member.query')}</span>
          <input
            className="field-input"
            data-testid="member-query"
            type="text"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            autoFocus
            placeholder={t('member.hint')}
            value={query}
            onChange={(e) => member.getState().setQuery(e.target.value)}
          />
        </label>
        <button type="submit" className="dialog-button is-primary" data-testid="member-find" disabled={finding} onMouseDown={keepFocus}>
          {finding ? t('member.finding') : found ? t('member.add') : t('member.find')}
          <kbd className="action-key">Enter</kbd>
        </button>
      </form>
      <FieldMessage testId="member-problem">{problem ? t(`member.problem.${problem}`) : errorText(failure)}</FieldMessage>
      <div className="member-body">
        <div className="member-main">
          {shown ? (
            <MemberCard member={shown} onSale={!found} fromCloud={found !== null && source === 'cloud'} />
          ) : (
            <p className="panel-empty">{t('member.hint')}</p>
          )}
          <div className="member-actions">
            <button type="button" className="dialog-button" data-testid="member-enrol" onMouseDown={keepFocus} onClick={enrol}>
              {t('member.enrol')}
              <kbd className="action-key">F2</kbd>
            </button>
            {onSale && (
              <button
                type="button"
                className="dialog-button"
                data-testid="member-remove"
                onMouseDown={keepFocus}
                onClick={() => void member.getState().detach()}
              >
                {t('member.remove')}
                <kbd className="action-key">⇧F8</kbd>
              </button>
            )}
          </div>
        </div>
        {shown && <MemberHistoryList />}
      </div>
    </Dialog>
  );
}

function MemberCard({ member, onSale, fromCloud }: { member: MemberView; onSale: boolean; fromCloud: boolean }) {
  const { t } = useTranslation();
  const tierName = useTierName();
  return (
    <section className="member-card" data-testid={onSale ? 'member-on-sale' : 'member-found'}>
      {onSale && <p className="member-card-label">{t('member.onSale')}</p>}
      <p className="member-card-name" data-testid="member-name">
        {member.name}
      </p>
      <dl className="member-card-facts">
        <div>
          <dt>{t('member.phone')}</dt>
          <dd data-testid="member-phone">{member.maskedPhone || '—'}</dd>
        </div>
        <div>
          <dt>{t('member.strip')}</dt>
          <dd data-testid="member-tier">{tierName(member.tier)}</dd>
        </div>
        <div>
          <dt>{t('member.points')}</dt>
          <dd data-testid="member-points">{member.points.toLocaleString('en-HK')}</dd>
        </div>
        <div>
          <dt>{t('member.storeCredit')}</dt>
          <dd>
            <Money cents={member.storeCredit} />
          </dd>
        </div>
      </dl>
      <p className="member-card-code">{member.code}</p>
      {member.provisional && <p className="member-card-note">{t('member.provisional')}</p>}
      {fromCloud && <p className="member-card-note">{t('member.foundInCloud')}</p>}
    </section>
  );
}

function MemberHistoryList() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const history: MemberHistory | null = useMember((s) => s.history);
  const loading = useMember((s) => s.historyLoading);
  return (
    <section className="member-history" data-testid="member-history">
      <h3 className="member-history-title">{t('member.history')}</h3>
      {history?.source === 'local' && (
        <p className="member-card-note" data-testid="member-history-local">
          {t('member.historyLocal')}
        </p>
      )}
      {!history ? (
        <p className="panel-empty">{loading ? t('member.historyLoading') : ''}</p>
      ) : history.purchases.length === 0 ? (
        <p className="panel-empty">{t('member.historyEmpty')}</p>
      ) : (
        <ol className="member-history-list">
          {history.purchases.map((p) => (
            <li
              key={`${p.channel}:${p.kind}:${p.receiptNo}`}
              className="member-history-row"
              data-testid="member-history-row"
              data-channel={p.channel}
            >
              <span className="member-history-when">{storeTime.dateTime(p.completedAt)}</span>
              <span className="member-history-what">
                <span className={`member-history-channel member-history-channel-${p.channel}`}>
                  {p.channel === 'online' ? t('member.historyOnline') : t('member.historyStore', { store: p.storeCode })}
                </span>{' '}
                {t(`member.historyKind.${p.kind}`)} · {p.receiptNo}
                {p.collectedOn && p.collectedOn.length > 0 && (
                  <> · {t('member.historyCollected', { store: p.storeCode, receipts: p.collectedOn.join(', ') })}</>
                )}
              </span>
              {p.totalUnknown ? (
                <span className="member-history-total">—</span>
              ) : (
                <Money cents={p.total} className="member-history-total" />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
