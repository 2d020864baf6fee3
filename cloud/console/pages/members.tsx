/**
 * 會員 Members (issue 13): find a member by phone, code or name (phones come masked from the
 * cloud), open the member's page (details, consent, balances and the ledger; 顯示電話 asks the cloud
 * for the whole phone, which records who looked), adjust points or store credit with a reason
 * (owners and HQ managers; never below zero, decided by the cloud under the account's lock), the
 * earn and redeem rules, and the ledger exceptions, which owners and HQ managers mark resolved with
 * a note (the resolved ones stay listed under 已處理), with the returns whose points wait for their
 * original sale to reach the cloud (pending-return-points.tsx: listed until it does, or until a
 * manager closes one whose original will never come; the closed ones under 已處理 too).
 */
import { useState, type FormEvent } from 'react';
import type {
  LedgerExceptionRow,
  MemberConsentRow,
  MemberPhone,
  MemberLedgerLine,
  MemberList,
  MemberPage as MemberPageData,
  MemberRulesBody,
  PendingReturnPointsRow,
} from '../../hq/contract';
import { formatHKD, parseCents } from '../../../src/shared/money';
import { GiftCards } from './gift-cards';
import { maskGiftCard } from '../../../src/shared/gift-card';
import { formatDate } from '../../../src/shared/store-time';
import { useConsole, useLang, useMay, useSession, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { Pager, SearchBox, SelectField, TabRow, pickRow, useSearch } from '../controls';
import { ErrorLine, InputError, Money, OkLine, PageHeader, ViewOnly, When, useAction, useLoad } from '../parts';
import { ClosedReturnPoints, WaitingReturnPoints } from './pending-return-points';
import { CloudWrote, LedgerNote } from '../ledger-note';
import { exceptionSentence, formatPoints, ledgerReasonName } from '../ledger-words';

const PAGE_SIZE = 25;

type Tab = 'members' | 'gift-cards' | 'rules' | 'exceptions';

export function MembersPage() {
  const tr = useTr();
  const [tab, setTab] = useState<Tab>('members');
  const [open, setOpen] = useState<string | null>(null);
  const exceptions = useLoad<{ exceptions: LedgerExceptionRow[] }>('/member-exceptions');
  const pending = useLoad<{ pending: PendingReturnPointsRow[] }>('/pending-return-points');
  const count = (exceptions.data?.exceptions.length ?? 0) + (pending.data?.pending.length ?? 0);
  const tabs: [Tab, string][] = [
    ['members', tr('會員', 'Members')],
    ['gift-cards', tr('禮品卡', 'Gift cards')],
    ['rules', tr('積分規則', 'Points rules')],
    ['exceptions', `${tr('未能入帳', 'Exceptions')}${count > 0 ? ` (${count})` : ''}`],
  ];
  return (
    <section className="hq-page">
      <PageHeader title={tr('會員', 'Members')}>
        <TabRow
          label={tr('會員功能', 'Member sections')}
          tabs={tabs}
          current={tab}
          onPick={(id) => {
            setTab(id);
            if (id === 'members') setOpen(null);
            if (id === 'exceptions') {
              exceptions.reload();
              pending.reload();
            }
          }}
          testId="members-tab"
        />
      </PageHeader>
      {tab === 'members' ? (
        open === null ? (
          <MemberSearch onOpen={setOpen} />
        ) : (
          <MemberView key={open} code={open} onBack={() => setOpen(null)} />
        )
      ) : null}
      {tab === 'gift-cards' ? <GiftCards /> : null}
      {tab === 'rules' ? <RulesForm /> : null}
      {tab === 'exceptions' ? (
        <Exceptions
          open={exceptions}
          pending={pending}
          onOpen={(code) => {
            setTab('members');
            setOpen(code);
          }}
        />
      ) : null}
    </section>
  );
}

function ConsentText({ consent }: { consent: MemberConsentRow | null }) {
  const tr = useTr();
  const { merchant } = useSession();
  if (consent === null) return <span className="hq-muted">{tr('未有記錄', 'Not recorded')}</span>;
  return (
    <span>
      {consent.marketing ? tr('同意', 'Yes') : tr('不同意', 'No')}
      <span className="hq-muted"> · {formatDate(consent.givenAt, merchant.timeZone)}</span>
    </span>
  );
}

function MemberSearch({ onOpen }: { onOpen(code: string): void }) {
  const tr = useTr();
  const lang = useLang();
  const { text, setText, query, offset, setOffset } = useSearch();
  const { data, error } = useLoad<MemberList>(`/members?limit=${PAGE_SIZE}&offset=${offset}&q=${encodeURIComponent(query)}`);
  const members = data?.members ?? [];
  return (
    <div className="hq-split-list">
      <SearchBox
        label={tr('搜尋會員', 'Search members')}
        value={text}
        onChange={setText}
        placeholder={tr('電話（8 位數字）、會員編號或姓名', 'Phone (8 digits), member code or name')}
        testId="members-search"
      />
      <ErrorLine error={error} />
      <table className="hq-table hq-pick" data-testid="members-results">
        <thead>
          <tr>
            <th>{tr('編號', 'Code')}</th>
            <th>{tr('姓名', 'Name')}</th>
            <th>{tr('電話', 'Phone')}</th>
            <th>{tr('級別', 'Tier')}</th>
            <th className="num">{tr('積分', 'Points')}</th>
            <th className="num">{tr('儲值額', 'Credit')}</th>
            <th>{tr('直銷同意', 'Marketing')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr
              key={m.code}
              className={m.active ? undefined : 'inactive'}
              {...pickRow(() => onOpen(m.code))}
              data-testid={`member-${m.code}`}
            >
              <td className="nowrap">{m.code}</td>
              <td className="wrap">{m.name}</td>
              <td className="nowrap">{m.maskedPhone || '—'}</td>
              <td>{m.tier}</td>
              <td className="num">{formatPoints(m.points, lang)}</td>
              <td className="num">
                <Money cents={m.storeCredit} />
              </td>
              <td className="nowrap">
                <ConsentText consent={m.consent} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && members.length === 0 ? <p className="hq-muted">{tr('找不到會員', 'No member found')}</p> : null}
      <Pager
        layout="apart"
        status={
          <span className="hq-muted" data-testid="members-range">
            {members.length > 0 ? tr(`第 ${offset + 1}–${offset + members.length} 位`, `${offset + 1}–${offset + members.length}`) : ''}
          </span>
        }
        hasPrevious={offset > 0}
        hasNext={Boolean(data?.hasMore)}
        onPrevious={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        onNext={() => setOffset(offset + PAGE_SIZE)}
        testId="members"
      />
    </div>
  );
}

function kindName(tr: Tr, kind: 'points' | 'credit'): string {
  return kind === 'points' ? tr('積分', 'Points') : tr('儲值額', 'Store credit');
}

/** A fresh key per adjustment the person makes: a retry of the same one is applied once. */
function newKey(): string {
  return `hq-${crypto.randomUUID()}`;
}

function MemberView({ code, onBack }: { code: string; onBack(): void }) {
  const tr = useTr();
  const lang = useLang();
  const may = useMay();
  const { data, error, reload } = useLoad<MemberPageData>(`/members/${encodeURIComponent(code)}`);
  const [ledgerTick, setLedgerTick] = useState(0);
  const member = data?.member;
  return (
    <div className="hq-split-list" data-testid="member-view">
      <div className="hq-row">
        <button type="button" onClick={onBack} data-testid="member-back">
          ← {tr('返回搜尋', 'Back to search')}
        </button>
        {member ? (
          <h2 data-testid="member-title">
            {member.name} <span className="hq-muted">{member.code}</span>
          </h2>
        ) : null}
      </div>
      <ErrorLine error={error} />
      {member && data ? (
        <>
          <div className="hq-cards">
            <div className="hq-card">
              <span className="hq-card-label">{tr('積分', 'Points')}</span>
              <span className="hq-card-figure" data-testid="member-points">
                {formatPoints(member.points, lang)}
              </span>
              <span className="hq-muted">= {formatHKD(Math.floor((Math.max(0, member.points) * 100) / data.pointsPerDollar), lang)}</span>
            </div>
            <div className="hq-card">
              <span className="hq-card-label">{tr('儲值額', 'Store credit')}</span>
              <span className="hq-card-figure" data-testid="member-credit">
                <Money cents={member.storeCredit} />
              </span>
            </div>
          </div>
          <div className="hq-split">
            <dl className="hq-facts" data-testid="member-facts">
              <dt>{tr('電話', 'Phone')}</dt>
              <dd>
                <PhoneNumber code={member.code} masked={member.maskedPhone} />
              </dd>
              <dt>{tr('電郵', 'Email')}</dt>
              <dd className="wrap">{member.email ?? '—'}</dd>
              <dt>{tr('出生月份', 'Birth month')}</dt>
              <dd>{member.birthMonth ?? '—'}</dd>
              <dt>{tr('級別', 'Tier')}</dt>
              <dd>
                {member.tier}
                {member.active ? '' : ` · ${tr('停用', 'Inactive')}`}
              </dd>
              <dt>{tr('登記', 'Enrolled')}</dt>
              <dd>
                {member.enrolledVia === 'register'
                  ? tr(`收銀機（${member.enrolledStoreCode ?? '—'}）`, `At a register (${member.enrolledStoreCode ?? '—'})`)
                  : tr('總部', 'Head office')}
              </dd>
              <dt>{tr('直銷同意', 'Marketing')}</dt>
              <dd data-testid="member-consent">
                <ConsentText consent={member.consent} />
                {member.consent ? <span className="hq-muted"> · {member.consent.wordingVersion}</span> : null}
              </dd>
              {member.aliases.length > 0 ? (
                <>
                  <dt>{tr('臨時編號', 'Provisional codes')}</dt>
                  <dd className="wrap">{member.aliases.join(', ')}</dd>
                </>
              ) : null}
            </dl>
            {may('members.manage') ? (
              <AdjustForm
                code={member.code}
                onDone={() => {
                  reload();
                  setLedgerTick((n) => n + 1);
                }}
              />
            ) : (
              <ViewOnly />
            )}
          </div>
          <Ledger key={ledgerTick} code={member.code} />
        </>
      ) : null}
    </div>
  );
}

/** The masked phone, and 顯示電話: the whole number is asked for (and the asking audited) only then. */
function PhoneNumber({ code, masked }: { code: string; masked: string }) {
  const { api } = useConsole();
  const tr = useTr();
  const [whole, setWhole] = useState<string | null>(null);
  const reveal = useAction();
  if (masked === '') return <span data-testid="member-phone">—</span>;
  const show = () =>
    void reveal.run(async () => setWhole((await api.post<MemberPhone>(`/members/${encodeURIComponent(code)}/phone`)).phone ?? ''));
  return (
    <>
      <span className="nowrap" data-testid="member-phone">
        {whole ?? masked}
      </span>
      {whole === null ? (
        <>
          {' '}
          <button type="button" className="hq-link" onClick={show} disabled={reveal.busy} data-testid="member-phone-show">
            {tr('顯示電話', 'Show phone')}
          </button>
          <span className="hq-muted small"> {tr('（查看會記錄）', '(recorded)')}</span>
        </>
      ) : null}
      <ErrorLine error={reveal.error} testId="member-phone-error" />
    </>
  );
}

function AdjustForm({ code, onDone }: { code: string; onDone(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const [kind, setKind] = useState<'points' | 'credit'>('credit');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(newKey);
  const [inputError, setInputError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = useAction();

  // a changed figure is another adjustment: another key
  const edit = (apply: () => void) => {
    apply();
    setKey(newKey());
    setNote(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    const trimmed = amount.trim().replace(/^\+/, '');
    const negative = trimmed.startsWith('-');
    const magnitude = negative ? trimmed.slice(1).trim() : trimmed;
    const units = kind === 'points' ? (/^\d{1,9}$/.test(magnitude) ? Number(magnitude) : null) : parseCents(magnitude);
    if (units === null || units === 0) {
      setInputError(
        kind === 'points'
          ? tr('積分為整數，例如 500 或 -200', 'Points are a whole number, e.g. 500 or -200')
          : tr('金額格式不正確，例如 20.00 或 -5.50', 'The amount is not valid, e.g. 20.00 or -5.50'),
      );
      return;
    }
    if (reason.trim() === '') {
      setInputError(tr('請輸入調整原因', 'Type the reason for the adjustment'));
      return;
    }
    setInputError(null);
    const signed = negative ? -units : units;
    const ok = await save.run(() =>
      api.post(`/members/${encodeURIComponent(code)}/adjust`, { kind, amount: signed, reason: reason.trim(), idempotencyKey: key }),
    );
    if (ok) {
      const shown =
        kind === 'points' ? `${signed > 0 ? '+' : ''}${formatPoints(signed, lang)}` : `${signed > 0 ? '+' : ''}${formatHKD(signed, lang)}`;
      setNote(tr(`已調整${kindName(tr, kind)} ${shown}`, `${kindName(tr, kind)} adjusted ${shown}`));
      setAmount('');
      setReason('');
      setKey(newKey());
      onDone();
    }
  };

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="member-adjust">
      <h2>{tr('調整結餘', 'Adjust a balance')}</h2>
      <fieldset disabled={save.busy}>
        <div className="hq-row">
          <SelectField
            label={tr('類別', 'Balance')}
            value={kind}
            onChange={(picked) => edit(() => setKind(picked))}
            choices={[
              ['credit', tr('儲值額 (HK$)', 'Store credit (HK$)')],
              ['points', tr('積分', 'Points')],
            ]}
            testId="adjust-kind"
          />
          <label className="grow">
            {tr('數額（負數為扣減）', 'Amount (negative takes away)')}
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => edit(() => setAmount(e.target.value))}
              placeholder={kind === 'points' ? '500' : '20.00'}
              data-testid="adjust-amount"
            />
          </label>
        </div>
        <label>
          {tr('原因（必填）', 'Reason (required)')}
          <input value={reason} onChange={(e) => edit(() => setReason(e.target.value))} maxLength={200} data-testid="adjust-reason" />
        </label>
      </fieldset>
      <InputError text={inputError} testId="adjust-input-error" />
      <ErrorLine error={save.error} testId="adjust-error" />
      <OkLine text={note} testId="adjust-done" />
      <button type="submit" className="primary" disabled={save.busy} data-testid="adjust-save">
        {tr('調整', 'Adjust')}
      </button>
    </form>
  );
}

/** Where a movement without a store came from: a till no longer known, the online shop (a shop key), or head office. */
function channelName(tr: ReturnType<typeof useTr>, source: string): string {
  if (source.startsWith('register:')) return '—';
  if (source.startsWith('shop-key:')) return tr('網店', 'Online shop');
  return tr('總部', 'HQ');
}

function Ledger({ code }: { code: string }) {
  const tr = useTr();
  const lang = useLang();
  const { api } = useConsole();
  const first = useLoad<{ entries: MemberLedgerLine[]; hasMore: boolean }>(`/members/${encodeURIComponent(code)}/ledger?limit=50`);
  const [older, setOlder] = useState<{ entries: MemberLedgerLine[]; hasMore: boolean } | null>(null);
  const more = useAction();
  const entries = [...(first.data?.entries ?? []), ...(older?.entries ?? [])];
  const hasMore = older ? older.hasMore : (first.data?.hasMore ?? false);
  const loadMore = () =>
    void more.run(async () => {
      const last = entries.at(-1);
      if (!last) return;
      const page = await api.get<{ entries: MemberLedgerLine[]; hasMore: boolean }>(
        `/members/${encodeURIComponent(code)}/ledger?limit=50&beforeId=${last.id}`,
      );
      setOlder({ entries: [...(older?.entries ?? []), ...page.entries], hasMore: page.hasMore });
    });
  const figure = (line: MemberLedgerLine, n: number, sign: boolean) =>
    line.kind === 'points' ? `${sign && n > 0 ? '+' : ''}${formatPoints(n, lang)}` : `${sign && n > 0 ? '+' : ''}${formatHKD(n, lang)}`;
  return (
    <div className="hq-split-list">
      <h2>{tr('積分及儲值額紀錄', 'Points and credit history')}</h2>
      <ErrorLine error={first.error ?? more.error} />
      <div className="hq-scroll-x hq-wrap-cells" data-scrolls-x>
        <table className="hq-table" data-testid="member-ledger">
          <thead>
            <tr>
              <th>{tr('時間', 'When')}</th>
              <th>{tr('類別', 'Balance')}</th>
              <th>{tr('種類', 'Kind')}</th>
              <th className="num">{tr('數額', 'Amount')}</th>
              <th className="num">{tr('結餘', 'Balance after')}</th>
              <th>{tr('單號 · 分店', 'Receipt · store')}</th>
              <th>{tr('備註', 'Note')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((line) => (
              <tr key={line.id} data-testid={`ledger-${line.id}`}>
                <td className="nowrap">
                  <When ms={line.at} />
                </td>
                <td className="nowrap">{kindName(tr, line.kind)}</td>
                <td className="nowrap">{ledgerReasonName(tr, line.reason, line.kind)}</td>
                <td className="num">{figure(line, line.amount, true)}</td>
                <td className="num">{figure(line, line.balanceAfter, false)}</td>
                {/* one cell under 單號 · 分店, as the header says (the note's column kept its header) */}
                <td className="nowrap">
                  {line.document ?? '—'}
                  <br />
                  <span className="small">
                    {line.storeCode ?? channelName(tr, line.source)}
                    {line.registerCode ? <span className="hq-muted"> {line.registerCode}</span> : null}
                  </span>
                </td>
                <td className="wrap">
                  <LedgerNote text={line.note} facts={line.noteFacts} cloud={line.cloudNote} account={line.kind} />
                  {line.source.startsWith('hq:') ? <span className="hq-muted"> · {line.source.slice(3)}</span> : null}
                  {line.overdraft > 0 ? (
                    <span className="hq-error">
                      {' '}
                      {tr(`透支 ${figure(line, line.overdraft, false)}`, `overdrawn ${figure(line, line.overdraft, false)}`)}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {first.data && entries.length === 0 ? <p className="hq-muted">{tr('未有紀錄', 'No movements yet')}</p> : null}
      {hasMore ? (
        <button type="button" onClick={loadMore} disabled={more.busy} data-testid="ledger-more">
          {tr('較早紀錄', 'Older entries')}
        </button>
      ) : null}
    </div>
  );
}

function RulesForm() {
  const { data, error, reload } = useLoad<{ rules: MemberRulesBody; version: number }>('/member-rules');
  return (
    <div className="hq-split-list">
      <ErrorLine error={error} />
      {data ? <RulesEditor key={JSON.stringify(data)} rules={data.rules} version={data.version} onSaved={reload} /> : null}
    </div>
  );
}

function tiersText(tiers: Record<string, number>): string {
  return Object.entries(tiers)
    .map(([tier, multiplier]) => `${tier}=${multiplier}`)
    .join(' ');
}

function RulesEditor({ rules, version, onSaved }: { rules: MemberRulesBody; version: number; onSaved(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const editable = useMay()('members.manage');
  const [earn, setEarn] = useState((rules.earnCentsPerPoint / 100).toFixed(2));
  const [rate, setRate] = useState(String(rules.pointsPerDollar));
  const [limit, setLimit] = useState((rules.offlineLimitCents / 100).toFixed(2));
  const [tiers, setTiers] = useState(tiersText(rules.tierMultipliers));
  const [excluded, setExcluded] = useState(rules.excludedCategories.join(' '));
  const [inputError, setInputError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    const earnCents = parseCents(earn.trim());
    if (earnCents === null || earnCents < 1)
      return setInputError(tr('每分消費金額最少 HK$0.01', 'The spend per point is at least HK$0.01'));
    if (!/^\d{1,7}$/.test(rate.trim()) || Number(rate) < 1 || Number(rate) > 1_000_000)
      return setInputError(tr('兌換率為 1 至 1,000,000 分', 'The rate is 1 to 1,000,000 points'));
    const limitCents = parseCents(limit.trim());
    if (limitCents === null || limitCents < 0)
      return setInputError(tr('離線上限格式不正確，例如 500.00', 'The offline limit is not an amount, e.g. 500.00'));
    const tierMultipliers: Record<string, number> = {};
    for (const part of tiers.split(/[\s,]+/).filter(Boolean)) {
      const match = /^([^=]{1,32})=(\d+(?:\.\d+)?)$/.exec(part);
      if (!match || Number(match[2]) > 100)
        return setInputError(
          tr(
            `級別倍數「${part}」格式為 級別=倍數（0 至 100），例如 gold=2`,
            `Tier "${part}": write tier=multiplier (0 to 100), e.g. gold=2`,
          ),
        );
      tierMultipliers[match[1] as string] = Number(match[2]);
    }
    const excludedCategories = excluded.split(/[\s,]+/).filter(Boolean);
    if (excludedCategories.some((c) => !/^[A-Za-z0-9_-]{1,64}$/.test(c)))
      return setInputError(tr('類別代號只可用英文字母、數字、_ 及 -', 'Category codes are letters, digits, _ and -'));
    setInputError(null);
    const ok = await save.run(() =>
      api.put('/member-rules', {
        earnCentsPerPoint: earnCents,
        pointsPerDollar: Number(rate),
        offlineLimitCents: limitCents,
        tierMultipliers,
        excludedCategories,
      }),
    );
    if (ok) {
      setNote(tr('已儲存', 'Saved'));
      onSaved();
    }
  };

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="member-rules">
      <p className="hq-muted">
        {tr(
          `第 ${version} 版。儲存即成新版本：由此刻起完成的銷售按新規則計積分（較早的銷售按當時的版本），各收銀機於下次同步時收到新規則（積分、兌換率及離線每日上限），收銀機不能自行更改。`,
          `Version ${version}. Saving makes a new version: sales completed from now on earn by it (earlier sales by the version then in force), and every register gets it (points, rate and offline daily limit) at its next sync; registers cannot change them.`,
        )}
      </p>
      <fieldset disabled={!editable || save.busy}>
        <div className="hq-row">
          <label>
            {tr('每賺 1 分的消費 (HK$)', 'Spend per point earned (HK$)')}
            <input inputMode="decimal" value={earn} onChange={(e) => setEarn(e.target.value)} data-testid="rules-earn" />
          </label>
          <label>
            {tr('多少分兌 HK$1', 'Points that pay HK$1')}
            <input inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} data-testid="rules-rate" />
          </label>
          <label>
            {tr('離線每日上限 (HK$)', 'Offline daily limit (HK$)')}
            <input inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} data-testid="rules-limit" />
          </label>
        </div>
        <label>
          {tr('級別倍數（例如 gold=2 silver=1.5）', 'Tier multipliers (e.g. gold=2 silver=1.5)')}
          <input value={tiers} onChange={(e) => setTiers(e.target.value)} data-testid="rules-tiers" />
        </label>
        <label>
          {tr('不賺積分的類別代號（以空格分隔）', 'Categories that earn no points (space-separated)')}
          <input value={excluded} onChange={(e) => setExcluded(e.target.value)} data-testid="rules-excluded" />
        </label>
      </fieldset>
      <InputError text={inputError} testId="rules-input-error" />
      <ErrorLine error={save.error} testId="rules-error" />
      <OkLine text={note} testId="rules-saved" />
      {editable ? (
        <button type="submit" className="primary" disabled={save.busy} data-testid="rules-save">
          {tr('儲存', 'Save')}
        </button>
      ) : (
        <ViewOnly />
      )}
    </form>
  );
}

type ExceptionState = 'open' | 'resolved';

function Exceptions({
  open,
  pending,
  onOpen,
}: {
  open: { data: { exceptions: LedgerExceptionRow[] } | null; error: unknown; reload(): void };
  pending: { data: { pending: PendingReturnPointsRow[] } | null; error: unknown; reload(): void };
  onOpen(code: string): void;
}) {
  const tr = useTr();
  const lang = useLang();
  const manage = useMay()('members.manage');
  const [state, setState] = useState<ExceptionState>('open');
  const resolvedList = useLoad<{ exceptions: LedgerExceptionRow[] }>(state === 'resolved' ? '/member-exceptions?state=resolved' : null);
  const closedReturns = useLoad<{ pending: PendingReturnPointsRow[] }>(state === 'resolved' ? '/pending-return-points?state=closed' : null);
  const loaded = state === 'open' ? open : resolvedList;
  const rows = loaded.data?.exceptions ?? [];
  const [resolving, setResolving] = useState<LedgerExceptionRow | null>(null);
  // zh and en, said in the language of the moment (F10 after a close switches it too)
  const [note, setNote] = useState<[string, string] | null>(null);
  return (
    <div className="hq-split-list">
      <p className="hq-muted">
        {tr(
          '要人跟進的積分及儲值：收銀機離線時已收款但結餘不足（透支）、退款多於原單所付、禮品卡的問題、網店扣了但沒有成交的兌換，以及單據上雲端不認識的會員（未有積分）。銷售本身已保留；跟進後按「處理…」寫下做了甚麼。',
          'Points and stored value for a person to look into: movements paid at a register offline that the balance did not cover (overdrafts), refunds over what the original paid, gift card problems, online redemptions taken with no sale, and documents naming a member the cloud does not know (no points given). The sales themselves are kept; once followed up, resolve each with a note of what was done.',
        )}
      </p>
      <div className="hq-row">
        <SelectField
          label={tr('顯示', 'Show')}
          value={state}
          onChange={(picked) => {
            setState(picked);
            setResolving(null);
            setNote(null);
          }}
          choices={[
            ['open', tr('未處理', 'Open')],
            ['resolved', tr('已處理', 'Resolved')],
          ]}
          testId="exceptions-state"
        />
        <span className="grow" />
      </div>
      <OkLine text={note ? tr(...note) : null} testId="exception-resolved-note" />
      <ErrorLine error={loaded.error} />
      <div className="hq-scroll-x hq-wrap-cells" data-scrolls-x>
        <table className="hq-table" data-testid="member-exceptions">
          <thead>
            <tr>
              <th>{tr('時間', 'When')}</th>
              <th>{tr('種類及詳情', 'Kind and detail')}</th>
              <th>{tr('會員', 'Member')}</th>
              <th>{tr('單號 · 分店', 'Receipt · store')}</th>
              <th className="num">{tr('透支', 'Overdrawn')}</th>
              <th>{state === 'open' ? '' : tr('處理', 'Resolution')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.id} className={x.id === resolving?.id ? 'current' : undefined} data-testid={`exception-${x.id}`}>
                <td>
                  <When ms={x.createdAt} />
                </td>
                <td className="wrap">
                  <strong>
                    {x.kind === 'overdraft'
                      ? tr('透支', 'Overdraft')
                      : x.kind === 'gift_card'
                        ? tr('禮品卡', 'Gift card')
                        : x.kind === 'refund_over'
                          ? tr('退款多於原付', 'Refund over paid')
                          : x.kind === 'redemption_open'
                            ? tr('已扣款未成交', 'Taken, no sale')
                            : tr('不明會員', 'Unknown member')}
                  </strong>
                  <br />
                  <ExceptionDetail exception={x} />
                </td>
                <td>
                  {x.giftCardLast4 ? (
                    <span className="nowrap">
                      {tr('禮品卡', 'Gift card')} {maskGiftCard(x.giftCardLast4)}
                    </span>
                  ) : x.memberCode ? (
                    <button type="button" className="hq-link" onClick={() => onOpen(x.memberCode as string)}>
                      {x.memberCode}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <span className="nowrap">{x.document ?? '—'}</span>
                  <br />
                  <span className="small">{x.storeCode ?? '—'}</span>
                </td>
                <td className="num">
                  {x.kind !== 'overdraft' ? '—' : x.account === 'points' ? formatPoints(x.amount, lang) : formatHKD(x.amount, lang)}
                </td>
                {x.resolvedAt === null ? (
                  <td className="actions">
                    {manage ? (
                      <button
                        type="button"
                        onClick={() => {
                          setResolving(x);
                          setNote(null);
                        }}
                        data-testid={`exception-resolve-${x.id}`}
                      >
                        {tr('處理…', 'Resolve…')}
                      </button>
                    ) : null}
                  </td>
                ) : (
                  <td className="wrap small" data-testid="exception-resolution">
                    <span className="nowrap">{x.resolvedBy ?? tr('系統', 'System')}</span> · <When ms={x.resolvedAt} />
                    <br />
                    {x.resolution}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loaded.data && rows.length === 0 ? (
        <p className="hq-muted">
          {state === 'open' ? tr('沒有未能入帳的項目', 'Nothing waiting') : tr('未有已處理的項目', 'Nothing resolved yet')}
        </p>
      ) : null}
      {state === 'open' && (pending.data?.pending.length ?? 0) > 0 ? (
        <WaitingReturnPoints
          rows={pending.data?.pending ?? []}
          onClosed={(closed) => {
            setNote([`已結束：${closed}（不會扣積分）`, `Closed: ${closed} (no points will be taken)`]);
            pending.reload();
          }}
        />
      ) : null}
      {state === 'open' ? <ErrorLine error={pending.error} /> : null}
      {state === 'resolved' && closedReturns.data ? <ClosedReturnPoints rows={closedReturns.data.pending} /> : null}
      {state === 'resolved' ? <ErrorLine error={closedReturns.error} /> : null}
      {resolving ? (
        <ResolveForm
          key={resolving.id}
          exception={resolving}
          onDone={(resolved) => {
            setResolving(null);
            if (resolved) {
              setNote([`已標示為已處理：${resolved}`, `Marked resolved: ${resolved}`]);
              open.reload();
            }
          }}
        />
      ) : null}
    </div>
  );
}

/**
 * What an exception is about, in the reader's language from the facts the cloud stored; one
 * recorded before the cloud kept facts shows the cloud's own English line, labelled as such.
 */
function ExceptionDetail({ exception }: { exception: LedgerExceptionRow }) {
  const tr = useTr();
  const lang = useLang();
  const { merchant } = useSession();
  if (exception.facts)
    return (
      <span className="small" data-testid="exception-detail">
        {exceptionSentence(tr, lang, exception.facts, merchant.timeZone)}
      </span>
    );
  return (
    <span className="small" data-testid="exception-detail">
      <CloudWrote text={exception.detail} />
    </span>
  );
}

/** The note that resolves an exception: what was found or done (required, kept with who and when). */
function ResolveForm({ exception, onDone }: { exception: LedgerExceptionRow; onDone(resolved: string | null): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();
  const what = exception.memberCode ?? exception.document ?? `#${exception.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return setInputError(tr('請寫下處理方法', 'Write what was found or done'));
    setInputError(null);
    const ok = await save.run(() => api.post(`/member-exceptions/${exception.id}/resolve`, { note: text.trim() }));
    if (ok) onDone(what);
  };
  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="exception-resolve-form">
      <h2>{tr(`處理 ${what}`, `Resolve ${what}`)}</h2>
      <fieldset disabled={save.busy} className="hq-row">
        <label className="grow">
          {tr('處理方法（必填，會記錄）', 'What was found or done (required, recorded)')}
          <input value={text} onChange={(e) => setText(e.target.value)} maxLength={500} autoFocus data-testid="exception-resolve-note" />
        </label>
        <button type="submit" className="primary" data-testid="exception-resolve-confirm">
          {tr('標示已處理', 'Mark resolved')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {tr('取消', 'Cancel')}
        </button>
      </fieldset>
      <InputError text={inputError} testId="exception-resolve-input-error" />
      <ErrorLine error={save.error} testId="exception-resolve-error" />
    </form>
  );
}
