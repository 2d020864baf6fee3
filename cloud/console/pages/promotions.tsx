/**
 * The promotions editor: every kind the register's pricing engine prices (percent off, buy X get
 * Y, bundle price, member price), with its validity window and priority. What the form builds is
 * checked with the same schema the register parses promotions with (src/shared/promotion-schema),
 * before it is sent and again by the cloud; registers pull it through the change feed.
 */
import { useState, type FormEvent } from 'react';
import { PromotionDefinition, type Promotion } from '../../../src/shared/promotion-schema';
import { parseCents } from '../../../src/shared/money';
import { formatDateTime } from '../../../src/shared/store-time';
import { useConsole, useLang, useMay, useSession, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { SelectField } from '../controls';
import { ErrorLine, InputError, PageHeader, useAction, useLoad } from '../parts';
import { parseDayTime } from './store-prices';

type Kind = Promotion['kind'];
const kinds: readonly Kind[] = ['percent', 'buy_x_get_y', 'bundle', 'member_price'];

function kindName(tr: Tr, kind: Kind): string {
  const names: Record<Kind, [string, string]> = {
    percent: ['折扣（百分比）', 'Percent off'],
    buy_x_get_y: ['買 X 送 Y', 'Buy X get Y'],
    bundle: ['組合價', 'Bundle price'],
    member_price: ['會員價', 'Member price'],
  };
  return tr(...names[kind]);
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function PromotionsPage() {
  const tr = useTr();
  const may = useMay();
  const { merchant } = useSession();
  const { data, error, reload } = useLoad<{ promotions: Promotion[] }>('/promotions');
  const [editing, setEditing] = useState<string | null>(null);
  const current = data?.promotions.find((p) => p.code === editing) ?? null;
  const validity = (p: Promotion) =>
    p.startsAt === null && p.endsAt === null
      ? tr('長期', 'Always')
      : `${p.startsAt === null ? '…' : formatDateTime(p.startsAt, merchant.timeZone)} – ${p.endsAt === null ? '…' : formatDateTime(p.endsAt, merchant.timeZone)}`;
  return (
    <section className="hq-page">
      <PageHeader title={tr('優惠', 'Promotions')}>
        {may('catalogue.edit') ? (
          <button type="button" className="primary" onClick={() => setEditing('')} data-testid="promotion-new">
            {tr('新增優惠', 'New promotion')}
          </button>
        ) : null}
      </PageHeader>
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="promotions-table">
        <thead>
          <tr>
            <th>{tr('代號', 'Code')}</th>
            <th>{tr('名稱', 'Name')}</th>
            <th>{tr('類型', 'Kind')}</th>
            <th>{tr('有效期', 'Valid')}</th>
            <th className="num">{tr('優先', 'Priority')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.promotions ?? []).map((p) => (
            <tr key={p.code} className={p.active ? '' : 'inactive'} data-testid={`promotion-${p.code}`}>
              <td>{p.code}</td>
              <td>
                {p.nameZh} {p.nameEn}
              </td>
              <td>{kindName(tr, p.kind)}</td>
              <td>{p.active ? validity(p) : tr('已停用', 'Off')}</td>
              <td className="num">{p.priority}</td>
              <td className="actions">
                {may('catalogue.edit') ? (
                  <button type="button" onClick={() => setEditing(p.code)} data-testid={`promotion-edit-${p.code}`}>
                    {tr('修改', 'Edit')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing !== null ? (
        <PromotionForm
          key={editing}
          promotion={current}
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

function PromotionForm({ promotion, onDone }: { promotion: Promotion | null; onDone(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const { merchant } = useSession();
  const when = (ms: number | null) => (ms === null ? '' : formatDateTime(ms, merchant.timeZone));
  const target = promotion && promotion.kind !== 'member_price' ? promotion.params.target : undefined;
  const [code, setCode] = useState(promotion?.code ?? '');
  const [nameZh, setNameZh] = useState(promotion?.nameZh ?? '');
  const [nameEn, setNameEn] = useState(promotion?.nameEn ?? '');
  const [kind, setKind] = useState<Kind>(promotion?.kind ?? 'percent');
  const [skus, setSkus] = useState((target?.skus ?? []).join(' '));
  const [categories, setCategories] = useState((target?.categoryCodes ?? []).join(' '));
  const [percent, setPercent] = useState(promotion?.kind === 'percent' ? String(promotion.params.basisPoints / 100) : '10');
  const [buy, setBuy] = useState(promotion?.kind === 'buy_x_get_y' ? String(promotion.params.buyQuantity) : '1');
  const [get, setGet] = useState(promotion?.kind === 'buy_x_get_y' ? String(promotion.params.getQuantity) : '1');
  const [reward, setReward] = useState(promotion?.kind === 'buy_x_get_y' ? String(promotion.params.rewardBasisPoints / 100) : '50');
  const [bundleQty, setBundleQty] = useState(promotion?.kind === 'bundle' ? String(promotion.params.quantity) : '3');
  const [bundlePrice, setBundlePrice] = useState(promotion?.kind === 'bundle' ? (promotion.params.price / 100).toFixed(2) : '');
  const [memberPrices, setMemberPrices] = useState(
    promotion?.kind === 'member_price' ? promotion.params.prices.map((p) => `${p.sku} ${(p.unitPrice / 100).toFixed(2)}`).join('\n') : '',
  );
  const [tiers, setTiers] = useState(promotion?.kind === 'member_price' ? (promotion.params.tiers ?? []).join(' ') : '');
  const [priority, setPriority] = useState(String(promotion?.priority ?? 0));
  const [startsAt, setStartsAt] = useState(when(promotion?.startsAt ?? null));
  const [endsAt, setEndsAt] = useState(when(promotion?.endsAt ?? null));
  const [active, setActive] = useState(promotion?.active ?? true);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();

  function params(): unknown {
    const set = {
      ...(words(skus).length ? { skus: words(skus) } : {}),
      ...(words(categories).length ? { categoryCodes: words(categories) } : {}),
    };
    const bp = (text: string) => Math.round(Number(text) * 100);
    if (kind === 'percent') return { target: set, basisPoints: bp(percent) };
    if (kind === 'buy_x_get_y') return { target: set, buyQuantity: Number(buy), getQuantity: Number(get), rewardBasisPoints: bp(reward) };
    if (kind === 'bundle') return { target: set, quantity: Number(bundleQty), price: parseCents(bundlePrice) ?? -1 };
    return {
      prices: memberPrices
        .split('\n')
        .map((line) => words(line))
        .filter((w) => w.length > 0)
        .map(([sku, price]) => ({ sku, unitPrice: parseCents(price ?? '') ?? -1 })),
      ...(words(tiers).length ? { tiers: words(tiers) } : {}),
    };
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const start = startsAt.trim() === '' ? null : parseDayTime(startsAt, merchant.timeZone);
    const end = endsAt.trim() === '' ? null : parseDayTime(endsAt, merchant.timeZone);
    if (start === null && startsAt.trim() !== '')
      return setInputError(tr('開始時間格式為 日/月/年 時:分', 'The start is day/month/year hour:minute'));
    if (end === null && endsAt.trim() !== '')
      return setInputError(tr('結束時間格式為 日/月/年 時:分', 'The end is day/month/year hour:minute'));
    const definition = { code, nameZh, nameEn, kind, params: params(), priority: Number(priority), startsAt: start, endsAt: end, active };
    // the register's own schema: what passes here is what its pricing engine accepts
    const parsed = PromotionDefinition.safeParse(definition);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return setInputError(`${tr('未能儲存', 'Cannot save')}: ${issue.path.join('.') || '—'} ${issue.message}`);
    }
    setInputError(null);
    const ok = await save.run(() => api.put(`/promotions/${encodeURIComponent(parsed.data.code)}`, parsed.data));
    if (ok) onDone();
  };

  const targetFields = (
    <div className="hq-row">
      <label>
        {tr('貨號（以空格分隔）', 'SKUs (space-separated)')}
        <input value={skus} onChange={(e) => setSkus(e.target.value)} data-testid="promotion-skus" />
      </label>
      <label>
        {tr('類別代號', 'Category codes')}
        <input value={categories} onChange={(e) => setCategories(e.target.value)} data-testid="promotion-categories" />
      </label>
    </div>
  );

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="promotion-form">
      <h2>{promotion ? `${promotion.code} ${lang === 'en' ? promotion.nameEn : promotion.nameZh}` : tr('新增優惠', 'New promotion')}</h2>
      <fieldset disabled={save.busy}>
        <div className="hq-row">
          <label>
            {tr('代號', 'Code')}
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              readOnly={promotion !== null}
              maxLength={32}
              size={12}
              data-testid="promotion-code"
            />
          </label>
          <label>
            {tr('中文名稱', 'Chinese name')}
            <input value={nameZh} onChange={(e) => setNameZh(e.target.value)} maxLength={100} data-testid="promotion-name-zh" />
          </label>
          <label>
            {tr('英文名稱', 'English name')}
            <input value={nameEn} onChange={(e) => setNameEn(e.target.value)} maxLength={100} data-testid="promotion-name-en" />
          </label>
          <SelectField
            label={tr('類型', 'Kind')}
            value={kind}
            onChange={setKind}
            choices={kinds.map((k) => [k, kindName(tr, k)] as const)}
            testId="promotion-kind"
          />
        </div>
        {kind === 'percent' ? (
          <>
            {targetFields}
            <label>
              {tr('折扣 %（10 即九折）', 'Percent off (10 = 10 % off)')}
              <input
                inputMode="decimal"
                value={percent}
                onChange={(e) => setPercent(e.target.value)}
                size={6}
                data-testid="promotion-percent"
              />
            </label>
          </>
        ) : null}
        {kind === 'buy_x_get_y' ? (
          <>
            {targetFields}
            <div className="hq-row">
              <label>
                {tr('買', 'Buy')}
                <input inputMode="numeric" value={buy} onChange={(e) => setBuy(e.target.value)} size={4} data-testid="promotion-buy" />
              </label>
              <label>
                {tr('再買', 'Get')}
                <input inputMode="numeric" value={get} onChange={(e) => setGet(e.target.value)} size={4} data-testid="promotion-get" />
              </label>
              <label>
                {tr('減 %（100 即免費）', '% off those (100 = free)')}
                <input
                  inputMode="decimal"
                  value={reward}
                  onChange={(e) => setReward(e.target.value)}
                  size={6}
                  data-testid="promotion-reward"
                />
              </label>
            </div>
          </>
        ) : null}
        {kind === 'bundle' ? (
          <>
            {targetFields}
            <div className="hq-row">
              <label>
                {tr('件數', 'Units')}
                <input
                  inputMode="numeric"
                  value={bundleQty}
                  onChange={(e) => setBundleQty(e.target.value)}
                  size={4}
                  data-testid="promotion-bundle-qty"
                />
              </label>
              <label>
                {tr('組合價 (HK$)', 'Bundle price (HK$)')}
                <input
                  inputMode="decimal"
                  value={bundlePrice}
                  onChange={(e) => setBundlePrice(e.target.value)}
                  size={8}
                  data-testid="promotion-bundle-price"
                />
              </label>
            </div>
          </>
        ) : null}
        {kind === 'member_price' ? (
          <div className="hq-row">
            <label>
              {tr('每行：貨號 會員價，例如 DRI-0001 15.00', 'One per line: SKU member price, e.g. DRI-0001 15.00')}
              <textarea
                rows={4}
                value={memberPrices}
                onChange={(e) => setMemberPrices(e.target.value)}
                data-testid="promotion-member-prices"
              />
            </label>
            <label>
              {tr('只限會員級別（留空即全部）', 'Only these tiers (empty: all)')}
              <input value={tiers} onChange={(e) => setTiers(e.target.value)} data-testid="promotion-tiers" />
            </label>
          </div>
        ) : null}
        <div className="hq-row">
          <label>
            {tr('開始（日/月/年 時:分）', 'Starts (d/m/y h:m)')}
            <input
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              placeholder="01/12/2026 08:00"
              size={16}
              data-testid="promotion-starts"
            />
          </label>
          <label>
            {tr('結束', 'Ends')}
            <input
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
              placeholder="31/12/2026 23:59"
              size={16}
              data-testid="promotion-ends"
            />
          </label>
          <label>
            {tr('優先次序', 'Priority')}
            <input
              inputMode="numeric"
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              size={6}
              data-testid="promotion-priority"
            />
          </label>
          <label className="hq-check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="promotion-active" />
            {tr('生效', 'On')}
          </label>
        </div>
      </fieldset>
      <InputError text={inputError} testId="promotion-input-error" />
      <ErrorLine error={save.error} />
      <div className="hq-row">
        <button type="submit" className="primary" disabled={save.busy} data-testid="promotion-save">
          {tr('儲存', 'Save')}
        </button>
        <button type="button" onClick={onDone}>
          {tr('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}
