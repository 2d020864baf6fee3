/**
 * A product's prices store by store: the schedule (merchant-wide and each store's own, the one in
 * force marked), and a form for a price at one store from a day and time. The store's registers
 * pull it and switch to it at that time.
 */
import { useState, type FormEvent } from 'react';
import type { PriceScheduleRow, StoreItem } from '../../hq/contract';
import { parseCents } from '../../../src/shared/money';
import { parseDayFirstDate, startOfStoreDay } from '../../../src/shared/store-time';
import { useConsole, useMay, useSession, useTr } from '../console-store';
import { SelectField, storeChoices } from '../controls';
import { ErrorLine, InputError, Money, OkLine, When, useAction, useLoad } from '../parts';

/** "31/12/2026 08:00" or "31/12/2026" (midnight) in the merchant's zone; null when unreadable. */
export function parseDayTime(text: string, timeZone: string): number | null {
  const match = /^\s*(\S+)(?:\s+(\d{1,2}):(\d{2}))?\s*$/.exec(text);
  if (!match) return null;
  const day = parseDayFirstDate(match[1]!);
  if (day === null) return null;
  const hours = match[2] === undefined ? 0 : Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  if (hours > 23 || minutes > 59) return null;
  return startOfStoreDay(day, timeZone) + (hours * 60 + minutes) * 60_000;
}

export function StorePrices({ sku, onSaved }: { sku: string; onSaved(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const may = useMay();
  const { merchant } = useSession();
  const stores = useLoad<{ stores: StoreItem[] }>('/stores').data?.stores ?? [];
  const { data, error, reload } = useLoad<{ prices: PriceScheduleRow[] }>(`/products/${encodeURIComponent(sku)}/prices`);
  const [store, setStore] = useState('');
  const [price, setPrice] = useState('');
  const [from, setFrom] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = useAction();
  const editable = may('catalogue.edit');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    const cents = parseCents(price);
    const storeId = Number(store || stores[0]?.id);
    const validFrom = from.trim() === '' ? undefined : parseDayTime(from, merchant.timeZone);
    if (cents === null) return setInputError(tr('售價格式不正確，例如 18.50', 'The price is not an amount, e.g. 18.50'));
    if (validFrom === null)
      return setInputError(tr('時間格式為 日/月/年 時:分，例如 01/12/2026 08:00', 'Use day/month/year hour:minute, e.g. 01/12/2026 08:00'));
    setInputError(null);
    const ok = await save.run(() =>
      api.post(`/products/${encodeURIComponent(sku)}/store-price`, {
        storeId,
        price: cents,
        ...(validFrom === undefined ? {} : { validFrom }),
      }),
    );
    if (ok) {
      setNote(tr('已儲存，該分店的收銀機會在生效時間轉用新售價', 'Saved: that store’s registers switch to it at its time'));
      setPrice('');
      setFrom('');
      reload();
      onSaved();
    }
  };

  return (
    <section className="hq-form" data-testid="store-prices">
      <h2>{tr('分店售價', 'Prices by store')}</h2>
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="price-schedule">
        <thead>
          <tr>
            <th>{tr('分店', 'Store')}</th>
            <th>{tr('生效時間', 'From')}</th>
            <th className="num">{tr('售價', 'Price')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.prices ?? []).map((p) => (
            <tr key={`${p.storeCode ?? '*'}:${p.validFrom}`} className={p.current ? 'current' : ''}>
              <td>
                {/* never broken inside the name: a price of HK$100 or more leaves this column narrow at 1024 px */}
                <span className="nowrap">{p.storeCode ?? tr('所有分店', 'All stores')}</span>
                {p.current ? <span className="hq-tag">{tr('現行', 'In force')}</span> : null}
              </td>
              <td>
                <When ms={p.validFrom} />
              </td>
              <td className="num">
                <Money cents={p.price} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editable ? (
        <form onSubmit={(e) => void submit(e)} data-testid="store-price-form">
          <fieldset disabled={save.busy} className="hq-row">
            <SelectField
              label={tr('分店', 'Store')}
              value={store}
              onChange={setStore}
              choices={storeChoices(stores, 'code')}
              testId="store-price-store"
            />
            <label>
              {tr('售價 (HK$)', 'Price (HK$)')}
              <input
                inputMode="decimal"
                value={price}
                onChange={(e) => setPrice(e.target.value)}
                size={8}
                data-testid="store-price-price"
              />
            </label>
            <label>
              {tr('由（日/月/年 時:分，留空即時）', 'From (d/m/y h:m; empty: now)')}
              <input
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                placeholder="01/12/2026 08:00"
                size={16}
                data-testid="store-price-from"
              />
            </label>
            <button type="submit" className="primary" data-testid="store-price-save">
              {tr('設定分店售價', 'Set store price')}
            </button>
          </fieldset>
        </form>
      ) : null}
      <InputError text={inputError} />
      <ErrorLine error={save.error} />
      <OkLine text={note} testId="store-price-saved" />
    </section>
  );
}
