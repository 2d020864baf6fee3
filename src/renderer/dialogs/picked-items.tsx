import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/schemas';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { usePosStores } from '../stores/stores-context';

/** An item picked by its barcode or SKU, once per product, with how many. */
export interface PickedItem {
  product: Product;
  code: string;
  quantity: number;
}

/**
 * Items picked by code for a form (a social order's items, the items a customer takes instead at
 * pickup): the code field's text, the list, and `add`, which looks a code up and adds it (a second
 * pick of one product counts it again). A code typed into the field is taken at once, so the next
 * one can be typed while it is looked up (clearing the field after the answer wiped a code typed
 * meanwhile, and that item was lost); an unknown one is given back to be corrected unless another
 * was typed, and `onMessage` says why.
 */
export function usePickedItems(onMessage: (text: string) => void) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api } = usePosStores();
  const [code, setCode] = useState('');
  const [items, setItems] = useState<PickedItem[]>([]);

  /** Adds `scanned` (a scan, the field untouched) or else the field's code. */
  const add = async (scanned?: string) => {
    const text = (scanned ?? code).trim();
    if (text === '') return;
    if (scanned === undefined) setCode('');
    const result = await api['catalog:lookup']({ code: text });
    if (!result.ok || result.value === null) {
      onMessage(result.ok ? t('socialOrder.unknownItem', { code: text }) : errorText(result.error));
      if (scanned === undefined) setCode((typed) => (typed === '' ? text : typed));
      return;
    }
    const product = result.value;
    setItems((current) => {
      const same = current.find((item) => item.product.sku === product.sku);
      return same
        ? current.map((item) => (item === same ? { ...item, quantity: item.quantity + 1 } : item))
        : [...current, { product, code: text, quantity: 1 }];
    });
    onMessage('');
  };

  return { code, setCode, items, setItems, add };
}

/** The code field with its add button, and the picked items, each with its amount and a remove button. */
export function PickedItemsEntry({
  picked,
  label,
  addLabel,
  removeLabel,
  testIds,
}: {
  picked: ReturnType<typeof usePickedItems>;
  label: string;
  addLabel: string;
  removeLabel: string;
  testIds: { code: string; add: string; lines: string };
}) {
  const { locale } = useLocale();
  return (
    <>
      <div className="social-order-add">
        <label className="field">
          <span className="field-label">{label}</span>
          <input
            className="field-input"
            data-testid={testIds.code}
            maxLength={64}
            value={picked.code}
            onChange={(e) => picked.setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                e.stopPropagation();
                void picked.add();
              }
            }}
          />
        </label>
        <button type="button" className="dialog-button" data-testid={testIds.add} onMouseDown={keepFocus} onClick={() => void picked.add()}>
          {addLabel}
        </button>
      </div>
      <ul className="orders-lines" data-testid={testIds.lines}>
        {picked.items.map((item) => (
          <li key={item.product.sku} className="orders-line">
            <span>
              {localName(item.product, locale)} × {item.quantity}
            </span>
            <span className="social-line-end">
              <Money cents={Math.round(item.product.price * item.quantity)} />
              <button
                type="button"
                className="plain-button"
                onMouseDown={keepFocus}
                onClick={() => picked.setItems((current) => current.filter((x) => x !== item))}
              >
                {removeLabel}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
