/**
 * Products and prices: search by SKU, barcode or either name; edit a product's names, category,
 * barcodes and whether it sells; set its price from now or from a later day (effective-dated).
 * Variants (sizes, colours) are listed right under their parent, and added and edited there; a
 * product's parent is set on its editor (make it a variant, move it, or let it stand alone).
 * Saved through the change feed, so every register picks it up at its next pull.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ProductRow } from '../../hq/contract';
import { formatHKD, parseCents } from '../../../src/shared/money';
import { parseDayFirstDate, startOfStoreDay } from '../../../src/shared/store-time';
import { useConsole, useLang, useMay, useSession, useTr } from '../console-store';
import { SearchBox, pickRow, useSearch } from '../controls';
import { ErrorLine, InputError, Money, OkLine, PageHeader, ViewOnly, useAction, useLoad } from '../parts';
import { ProductVariants, refusalCode, refusalText } from './product-variants';
import { StorePrices } from './store-prices';

export function CataloguePage() {
  const tr = useTr();
  const { text, setText, query } = useSearch();
  const [selected, setSelected] = useState<string | null>(null);
  const { data, error, reload } = useLoad<{ products: ProductRow[] }>(`/products?limit=100&q=${encodeURIComponent(query)}`);
  const product = data?.products.find((p) => p.sku === selected) ?? null;
  const variantsOf = (sku: string) => (data?.products ?? []).filter((p) => p.parentSku === sku);

  return (
    <section className="hq-page hq-split">
      <div className="hq-split-list">
        <PageHeader title={tr('貨品及價錢', 'Products & prices')}>
          <a className="hq-button" href="/hq/api/products.csv" download data-testid="catalogue-csv">
            {tr('匯出 CSV', 'Export CSV')}
          </a>
        </PageHeader>
        <SearchBox
          label={tr('搜尋貨品', 'Search products')}
          value={text}
          onChange={setText}
          placeholder={tr('貨號、條碼或名稱', 'SKU, barcode or name')}
          testId="catalogue-search"
        />
        <ErrorLine error={error} />
        <table className="hq-table hq-pick" data-testid="catalogue-results">
          <thead>
            <tr>
              <th>{tr('貨號', 'SKU')}</th>
              <th>{tr('名稱', 'Name')}</th>
              <th className="num">{tr('售價', 'Price')}</th>
            </tr>
          </thead>
          <tbody>
            {(data?.products ?? []).map((p) => (
              <tr
                key={p.sku}
                aria-selected={p.sku === selected}
                className={[p.active ? '' : 'inactive', p.parentSku === null ? '' : 'variant'].join(' ').trim() || undefined}
                {...pickRow(() => setSelected(p.sku))}
                data-testid={`product-${p.sku}`}
              >
                <td className="nowrap">{p.sku}</td>
                {p.parentSku === null ? (
                  <td className="wrap">
                    {p.nameZh}
                    <span className="hq-muted"> {p.nameEn}</span>
                    {variantsOf(p.sku).length > 0 ? (
                      <span className="hq-muted variant-count" data-testid={`product-variant-count-${p.sku}`}>
                        {tr(`${variantsOf(p.sku).length} 款`, `${variantsOf(p.sku).length} variants`)}
                      </span>
                    ) : null}
                  </td>
                ) : (
                  <td className="wrap variant-option">
                    <span aria-hidden="true">↳ </span>
                    {p.optionZh || p.nameZh}
                    <span className="hq-muted"> {p.optionEn || p.nameEn}</span>
                  </td>
                )}
                <td className="num">{p.price === null ? '—' : <Money cents={p.price} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="hq-split-detail">
        {product ? (
          <>
            <ProductEditor key={product.sku} product={product} onSaved={reload} onOpen={setSelected} />
            {product.parentSku === null ? (
              <ProductVariants
                key={`variants-${product.sku}`}
                parent={product}
                variants={variantsOf(product.sku)}
                onOpen={setSelected}
                onSaved={reload}
              />
            ) : null}
            <StorePrices key={`prices-${product.sku}`} sku={product.sku} onSaved={reload} />
          </>
        ) : (
          <p className="hq-muted">{tr('揀選貨品以修改（Enter）', 'Pick a product to edit it (Enter)')}</p>
        )}
      </div>
    </section>
  );
}

/** A name is one line however long: Enter saves, as in the other fields, rather than breaking the line. */
function submitOnEnter(event: KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key === 'Enter') {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

function ProductEditor({ product, onSaved, onOpen }: { product: ProductRow; onSaved(): void; onOpen(sku: string): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const may = useMay();
  const { merchant } = useSession();
  const editable = may('catalogue.edit');
  const [nameZh, setNameZh] = useState(product.nameZh);
  const [nameEn, setNameEn] = useState(product.nameEn);
  const [category, setCategory] = useState(product.categoryCode ?? '');
  const [barcodes, setBarcodes] = useState(product.barcodes.join(' '));
  const [active, setActive] = useState(product.active);
  const [optionZh, setOptionZh] = useState(product.optionZh);
  const [optionEn, setOptionEn] = useState(product.optionEn);
  const [parent, setParent] = useState(product.parentSku ?? '');
  const [price, setPrice] = useState(product.price === null ? '' : (product.price / 100).toFixed(2));
  const [from, setFrom] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    setInputError(null);
    const cents = price.trim() === '' ? null : parseCents(price);
    if (price.trim() !== '' && cents === null) {
      setInputError(tr('售價格式不正確，例如 18.50', 'The price is not an amount, e.g. 18.50'));
      return;
    }
    const day = from.trim() === '' ? null : parseDayFirstDate(from.trim());
    if (from.trim() !== '' && day === null) {
      setInputError(tr('生效日期格式為 日/月/年，例如 31/12/2026', 'The start date is day/month/year, e.g. 31/12/2026'));
      return;
    }
    const codes = barcodes.split(/[\s,]+/).filter(Boolean);
    const parentSku = parent.trim() === '' ? null : parent.trim();
    const ok = await save.run(async () => {
      try {
        await api.put(`/products/${encodeURIComponent(product.sku)}`, {
          nameZh,
          nameEn,
          categoryCode: category.trim() === '' ? null : category.trim(),
          active,
          barcodes: codes,
          ...(parentSku === null ? {} : { optionZh: optionZh.trim(), optionEn: optionEn.trim() }),
          ...(parentSku === product.parentSku ? {} : { parentSku }),
        });
      } catch (error) {
        const code = refusalCode(error);
        const text = code === null ? null : refusalText(tr, code, product.sku, parentSku ?? '');
        if (text !== null) {
          setInputError(text);
          throw Object.assign(new Error(text), { shown: true });
        }
        throw error;
      }
      if (cents !== null && (cents !== product.price || day !== null)) {
        await api.post(`/products/${encodeURIComponent(product.sku)}/price`, {
          price: cents,
          ...(day === null ? {} : { validFrom: startOfStoreDay(day, merchant.timeZone) }),
        });
      }
    });
    if (ok) {
      setNote(
        day === null
          ? tr('已儲存，收銀機下次同步時更新', 'Saved: registers update at their next sync')
          : tr(`已儲存，新售價由 ${from} 起生效`, `Saved: the new price applies from ${from}`),
      );
      onSaved();
    }
  };

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="product-editor">
      <h2>
        {product.sku}
        {product.price !== null ? <span className="hq-muted"> · {formatHKD(product.price, lang)}</span> : null}
      </h2>
      {product.parentSku !== null ? (
        <p className="hq-muted" data-testid="product-parent">
          {tr('款式，母貨品：', 'A variant of ')}
          <button type="button" className="hq-link" onClick={() => onOpen(product.parentSku as string)} data-testid="product-parent-open">
            {product.parentSku}
          </button>
        </p>
      ) : null}
      <fieldset disabled={!editable || save.busy}>
        <div className="hq-row">
          <label>
            {tr('母貨品貨號（留空：獨立貨品）', 'Parent SKU (empty: stands alone)')}
            <input
              value={parent}
              onChange={(e) => setParent(e.target.value)}
              maxLength={64}
              size={14}
              placeholder={tr('例如 TEE-100', 'e.g. TEE-100')}
              data-testid="product-parent-sku"
            />
          </label>
          {parent.trim() !== '' ? (
            <button type="button" onClick={() => setParent('')} data-testid="product-detach">
              {tr('獨立成貨品', 'Stand alone')}
            </button>
          ) : null}
        </div>
        {parent.trim() !== '' ? (
          <div className="hq-row">
            <label>
              {tr('款式（中文）', 'Option (Chinese)')}
              <input
                value={optionZh}
                onChange={(e) => setOptionZh(e.target.value)}
                maxLength={100}
                size={10}
                data-testid="product-option-zh"
              />
            </label>
            <label>
              {tr('款式（英文）', 'Option (English)')}
              <input
                value={optionEn}
                onChange={(e) => setOptionEn(e.target.value)}
                maxLength={100}
                size={10}
                data-testid="product-option-en"
              />
            </label>
          </div>
        ) : null}
        <label>
          {tr('中文名稱', 'Chinese name')}
          <textarea
            rows={2}
            onKeyDown={submitOnEnter}
            value={nameZh}
            onChange={(e) => setNameZh(e.target.value)}
            required
            maxLength={200}
            data-testid="product-name-zh"
          />
        </label>
        <label>
          {tr('英文名稱', 'English name')}
          <textarea
            rows={2}
            onKeyDown={submitOnEnter}
            value={nameEn}
            onChange={(e) => setNameEn(e.target.value)}
            required
            maxLength={200}
            data-testid="product-name-en"
          />
        </label>
        <label>
          {tr('類別代號', 'Category code')}
          <input value={category} onChange={(e) => setCategory(e.target.value)} maxLength={64} data-testid="product-category" />
        </label>
        <label>
          {tr('條碼（以空格分隔）', 'Barcodes (space-separated)')}
          <input value={barcodes} onChange={(e) => setBarcodes(e.target.value)} data-testid="product-barcodes" />
        </label>
        <label className="hq-check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="product-active" />
          {tr('發售中', 'On sale')}
        </label>
        <div className="hq-row">
          <label>
            {tr('售價 (HK$)', 'Price (HK$)')}
            <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} data-testid="product-price" />
          </label>
          <label>
            {tr('生效日期（留空即時）', 'From (empty: now)')}
            <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="31/12/2026" data-testid="product-price-from" />
          </label>
        </div>
      </fieldset>
      <InputError text={inputError} testId="product-input-error" />
      {save.error && !(save.error as { shown?: boolean }).shown ? <ErrorLine error={save.error} testId="product-save-error" /> : null}
      <OkLine text={note} testId="product-saved" />
      {editable ? (
        <button type="submit" className="primary" disabled={save.busy} data-testid="product-save">
          {tr('儲存', 'Save')}
        </button>
      ) : (
        <ViewOnly />
      )}
    </form>
  );
}
