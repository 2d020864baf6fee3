/**
 * A product's variants (sizes, colours) under its editor: each with its option label, barcodes and
 * price (Enter or a click opens it to edit, as any product), and a form to add one: its own SKU,
 * the option label in both languages, barcodes and price. The cloud names it after the parent and
 * the option and puts it in the parent's category; registers pull it and offer it under the parent.
 */
import { useState, type FormEvent } from 'react';
import type { ProductRow } from '../../hq/contract';
import { parseCents } from '../../../src/shared/money';
import { ConsoleApiError } from '../api';
import { useConsole, useMay, useTr } from '../console-store';
import { ErrorLine, Money, useAction } from '../parts';

/**
 * Why the cloud refused a variant or a new parent, in the screen's language (codes from
 * src/shared/product-variants.ts; `sku` is the product, `parent` the parent asked for).
 */
export function refusalText(tr: (zh: string, en: string) => string, code: string, sku = '', parent = ''): string | null {
  switch (code) {
    case 'PARENT_IS_VARIANT':
      return parent === ''
        ? tr('款式不可再有款式：請在母貨品下新增', 'A variant cannot have variants: add it under the parent')
        : tr(
            `${parent} 本身是款式，款式不可再有款式：請選它的母貨品`,
            `${parent} is itself a variant: a variant cannot have variants, pick its parent`,
          );
    case 'SELF_PARENT':
      return tr(`${sku} 不可以是自己的款式`, `${sku} cannot be a variant of itself`);
    case 'UNKNOWN_PARENT':
      return tr(`母貨品 ${parent} 不在貨品目錄中`, `The parent ${parent} is not in the catalogue`);
    case 'PARENT_CYCLE':
      return tr(`${sku} 與 ${parent} 會互為母貨品（循環）`, `${sku} and ${parent} would be each other's parent (a cycle)`);
    case 'HAS_VARIANTS':
      return tr(
        `${sku} 已有自己的款式，不可成為其他貨品的款式：請先移走它的款式`,
        `${sku} has variants of its own, so it cannot be a variant: move its variants first`,
      );
    case 'SKU_TAKEN':
      return tr('此貨號已在貨品目錄', 'This SKU is already in the catalogue');
    default:
      return null;
  }
}

/** The rule's code in a refusal from the cloud (the issue at path parentSku or sku), if any. */
export function refusalCode(error: unknown): string | null {
  if (!(error instanceof ConsoleApiError)) return null;
  const issue = (error.details.issues as { message: string }[] | undefined)?.[0];
  return issue?.message ?? null;
}

export function ProductVariants({
  parent,
  variants,
  onOpen,
  onSaved,
}: {
  parent: ProductRow;
  variants: ProductRow[];
  onOpen(sku: string): void;
  onSaved(sku: string): void;
}) {
  const { api } = useConsole();
  const tr = useTr();
  const may = useMay();
  const editable = may('catalogue.edit');
  const [sku, setSku] = useState(`${parent.sku}-`);
  const [optionZh, setOptionZh] = useState('');
  const [optionEn, setOptionEn] = useState('');
  const [barcodes, setBarcodes] = useState('');
  const [price, setPrice] = useState(parent.price === null ? '' : (parent.price / 100).toFixed(2));
  const [inputError, setInputError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    const cents = price.trim() === '' ? null : parseCents(price);
    if (price.trim() !== '' && cents === null)
      return setInputError(tr('售價格式不正確，例如 18.50', 'The price is not an amount, e.g. 18.50'));
    if (sku.trim() === '' || optionZh.trim() === '' || optionEn.trim() === '')
      return setInputError(tr('請填寫貨號及中英文款式名稱', 'Fill in the SKU and the option in both languages'));
    setInputError(null);
    const created = sku.trim();
    const ok = await save.run(async () => {
      try {
        await api.post(`/products/${encodeURIComponent(parent.sku)}/variants`, {
          sku: created,
          optionZh: optionZh.trim(),
          optionEn: optionEn.trim(),
          barcodes: barcodes.split(/[\s,]+/).filter(Boolean),
          ...(cents === null ? {} : { price: cents }),
        });
      } catch (error) {
        const code = refusalCode(error);
        const text = code === null ? null : refusalText(tr, code);
        if (text !== null) {
          setInputError(text);
          throw Object.assign(new Error(text), { shown: true });
        }
        throw error;
      }
    });
    if (ok) {
      setNote(tr(`已新增款式 ${created}，收銀機下次同步時可選`, `Variant ${created} added: registers offer it after their next sync`));
      setSku(`${parent.sku}-`);
      setOptionZh('');
      setOptionEn('');
      setBarcodes('');
      onSaved(created);
    }
  };

  return (
    <section className="hq-form" data-testid="product-variants">
      <h2>
        {tr('款式', 'Variants')} <span className="hq-muted">({variants.length})</span>
      </h2>
      {variants.length === 0 ? (
        <p className="hq-muted">{tr('此貨品未有款式（例如尺碼或顏色）', 'No variants yet (a size or a colour, for instance)')}</p>
      ) : (
        <table className="hq-table hq-pick" data-testid="variant-list">
          <thead>
            <tr>
              <th>{tr('款式及貨號', 'Option and SKU')}</th>
              <th className="num">{tr('售價', 'Price')}</th>
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => (
              <tr
                key={v.sku}
                tabIndex={0}
                className={v.active ? undefined : 'inactive'}
                onClick={() => onOpen(v.sku)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpen(v.sku);
                  }
                }}
                data-testid={`variant-${v.sku}`}
              >
                <td className="wrap">
                  <span className="nowrap">{v.optionZh || v.nameZh}</span> <span className="hq-muted nowrap">{v.optionEn || v.nameEn}</span>
                  <br />
                  <span className="hq-muted nowrap">{v.sku}</span>
                </td>
                <td className="num">{v.price === null ? '—' : <Money cents={v.price} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable ? (
        <form onSubmit={(e) => void submit(e)} data-testid="variant-form" noValidate>
          <h3>{tr('新增款式', 'Add a variant')}</h3>
          <fieldset disabled={save.busy} className="hq-row">
            <label>
              {tr('貨號', 'SKU')}
              <input value={sku} onChange={(e) => setSku(e.target.value)} maxLength={64} size={14} data-testid="variant-sku" />
            </label>
            <label>
              {tr('款式（中文）', 'Option (Chinese)')}
              <input
                value={optionZh}
                onChange={(e) => setOptionZh(e.target.value)}
                maxLength={100}
                size={10}
                placeholder="尺碼 M"
                data-testid="variant-option-zh"
              />
            </label>
            <label>
              {tr('款式（英文）', 'Option (English)')}
              <input
                value={optionEn}
                onChange={(e) => setOptionEn(e.target.value)}
                maxLength={100}
                size={10}
                placeholder="Size M"
                data-testid="variant-option-en"
              />
            </label>
            <label>
              {tr('條碼', 'Barcodes')}
              <input value={barcodes} onChange={(e) => setBarcodes(e.target.value)} size={14} data-testid="variant-barcodes" />
            </label>
            <label>
              {tr('售價 (HK$)', 'Price (HK$)')}
              <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} size={8} data-testid="variant-price" />
            </label>
            <button type="submit" className="primary" data-testid="variant-save">
              {tr('新增款式', 'Add variant')}
            </button>
          </fieldset>
        </form>
      ) : null}
      {inputError ? (
        <p className="hq-error" role="alert" data-testid="variant-input-error">
          {inputError}
        </p>
      ) : null}
      {save.error && !(save.error as { shown?: boolean }).shown ? <ErrorLine error={save.error} testId="variant-save-error" /> : null}
      {note ? (
        <p className="hq-ok" role="status" data-testid="variant-saved">
          {note}
        </p>
      ) : null}
    </section>
  );
}
