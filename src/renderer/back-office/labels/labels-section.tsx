/**
 * 標籤 (labels): the label queue. Receiving a delivery queues one label per unit received, a price
 * change from head office queues a shelf label; scan or type a product (barcode or SKU) to add
 * labels for it. Tick rows (new ones come ticked), change a row's quantity, see a row's label as
 * the printer will draw it, and print: F12 prints what is ticked. An A4 sheet comes back as a PDF
 * to print from the office printer.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LABEL_QUANTITY, type LabelKind, type LabelQueueItem } from '../../../shared/label-schemas';
import { formatHKD } from '../../../shared/money';
import { useErrorText } from '../../hooks/use-error-text';
import { useKeyHandler } from '../../hooks/use-key-handler';
import { resolveShortcut, shortcutLabel } from '../../shortcuts';
import { useStoreTime } from '../../hooks/use-store-time';
import { AdminInput, AdminSelect, ErrorLine, SectionHeader, type Column } from '../section-parts';
import { createLabelsStore, type LabelsState } from '../stores/labels-store';
import { useSectionStore } from '../use-section-store';

function savePdf(base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'labels.pdf';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LabelsSection() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const labels = useSectionStore(createLabelsStore);
  const items = labels.queue?.items ?? [];
  const pickedLabels = items.filter((i) => labels.picked.has(i.id)).reduce((sum, i) => sum + i.quantity, 0);
  const printer = labels.queue?.printer ?? null;

  const print = () => {
    void labels.print().then(({ ok, pdf }) => {
      if (ok && pdf) savePdf(pdf);
    });
  };

  useKeyHandler((press) => {
    // The back office's F12 is "post / print what is in front of you".
    if (resolveShortcut('back-office', press) !== 'stock-post') return false;
    if (pickedLabels === 0 || labels.busy) return true;
    print();
    return true;
  });

  return (
    <div className="labels-section" data-testid="labels-section">
      <SectionHeader title={t('labels.title')} hint={t('labels.hint')} />
      <p className="section-hint" data-testid="labels-printer">
        {printer
          ? t('labels.printerIs', { profile: t(`labels.profiles.${printer.profile}`), uri: printer.uri ?? '' })
          : t('labels.noPrinter')}
      </p>
      <AddForm labels={labels} />
      <ErrorLine testId="labels-error">{labels.error && errorText(labels.error)}</ErrorLine>
      {labels.printed && !labels.error && (
        <p className="device-ok" role="status" data-testid="labels-printed">
          {labels.printed.uri
            ? t('labels.printed', { count: labels.printed.labels, uri: labels.printed.uri })
            : t('labels.sheetSaved', { count: labels.printed.labels })}
        </p>
      )}
      <div className="labels-layout">
        <QueueTable labels={labels} items={items} />
        <Preview labels={labels} />
      </div>
      <div className="admin-form-actions labels-actions">
        <button
          type="button"
          className="admin-button is-primary"
          data-testid="labels-print"
          disabled={pickedLabels === 0 || labels.busy || printer === null}
          onClick={print}
        >
          {t('labels.print', { count: pickedLabels })} {shortcutLabel('stock-post')}
        </button>
        <button
          type="button"
          className="admin-button"
          data-testid="labels-remove"
          disabled={labels.picked.size === 0 || labels.busy}
          onClick={() => void labels.removePicked()}
        >
          {t('labels.remove')}
        </button>
        <button
          type="button"
          className="admin-button"
          data-testid="labels-clear"
          disabled={items.length === 0 || labels.busy}
          onClick={() => void labels.clearAll()}
        >
          {t('labels.clear')}
        </button>
      </div>
    </div>
  );
}

function AddForm({ labels }: { labels: LabelsState }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<LabelKind>('product');
  const [quantity, setQuantity] = useState('1');
  const codeInput = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = Number(quantity);
    if (code.trim() === '' || !Number.isInteger(count) || count < 1 || count > MAX_LABEL_QUANTITY) return;
    void labels.add(code.trim(), kind, count).then((ok) => {
      if (ok) setCode('');
      codeInput.current?.focus();
    });
  };
  return (
    <form className="admin-filters labels-add" onSubmit={submit}>
      <label>
        {t('labels.code')}
        <input
          ref={codeInput}
          value={code}
          autoFocus
          maxLength={64}
          autoComplete="off"
          data-testid="labels-code"
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      <AdminSelect label={t('labels.kind')} value={kind} data-testid="labels-kind" onChange={(e) => setKind(e.target.value as LabelKind)}>
        <option value="product">{t('labels.kinds.product')}</option>
        <option value="shelf">{t('labels.kinds.shelf')}</option>
      </AdminSelect>
      <AdminInput
        label={t('labels.quantity')}
        value={quantity}
        inputMode="numeric"
        maxLength={3}
        data-testid="labels-add-quantity"
        onChange={(e) => setQuantity(e.target.value.replace(/\D/g, ''))}
      />
      <button type="submit" className="admin-button is-primary" data-testid="labels-add" disabled={labels.busy}>
        {t('labels.add')}
      </button>
    </form>
  );
}

function QueueTable({ labels, items }: { labels: LabelsState; items: readonly LabelQueueItem[] }) {
  const { t } = useTranslation();
  const time = useStoreTime();
  if (items.length === 0)
    return (
      <p className="section-hint labels-empty" data-testid="labels-empty">
        {t('labels.empty')}
      </p>
    );
  const all = items.every((i) => labels.picked.has(i.id));
  return (
    <table className="admin-table labels-queue" data-testid="labels-queue">
      <thead>
        <tr>
          <th>
            <label className="labels-check">
              <input
                type="checkbox"
                aria-label={t('labels.pickAll')}
                checked={all}
                data-testid="labels-pick-all"
                onChange={(e) => labels.pickAll(e.target.checked)}
              />
            </label>
          </th>
          <TableHeadCells
            columns={[
              t('labels.product'),
              t('labels.kind'),
              { text: t('labels.price'), className: 'is-number' },
              t('labels.source'),
              t('labels.quantity'),
            ]}
          />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr
            key={item.id}
            className={labels.previewOf === item.id ? 'is-selected' : undefined}
            data-testid={`labels-row-${item.sku}-${item.kind}`}
            onClick={() => void labels.show(item)}
          >
            <td onClick={(e) => e.stopPropagation()}>
              <label className="labels-check">
                <input
                  type="checkbox"
                  aria-label={t('labels.pick', { name: item.nameZh })}
                  checked={labels.picked.has(item.id)}
                  data-testid={`labels-pick-${item.sku}-${item.kind}`}
                  onChange={() => labels.toggle(item.id)}
                />
              </label>
            </td>
            <td>
              <span className="stock-name-zh" lang="zh-HK">
                {item.nameZh}
              </span>
              <span className="stock-name-en">
                {item.sku} · {item.nameEn}
              </span>
            </td>
            <td>{t(`labels.kinds.${item.kind}`)}</td>
            <td className="is-number">{formatHKD(item.price)}</td>
            <td>
              <span>
                {item.source === 'price' ? t('labels.sources.price') : item.source === 'manual' ? t('labels.sources.manual') : item.source}
              </span>
              <span className="stock-name-en">{time.dateTime(item.createdAt)}</span>
            </td>
            <td onClick={(e) => e.stopPropagation()}>
              <QuantityInput labels={labels} item={item} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TableHeadCells({ columns }: { columns: readonly Column[] }) {
  return (
    <>
      {columns.map((column, index) => {
        const { text, className } = typeof column === 'string' ? { text: column, className: undefined } : column;
        return (
          <th key={index} className={className}>
            {text}
          </th>
        );
      })}
    </>
  );
}

/** A row's quantity: typed, saved on Enter or when the field is left. */
function QuantityInput({ labels, item }: { labels: LabelsState; item: LabelQueueItem }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const save = () => {
    if (draft === null) return;
    const count = Number(draft);
    setDraft(null);
    if (Number.isInteger(count) && count >= 1 && count <= MAX_LABEL_QUANTITY && count !== item.quantity)
      void labels.setQuantity(item.id, count);
  };
  return (
    <input
      className="labels-quantity"
      aria-label={t('labels.quantity')}
      inputMode="numeric"
      maxLength={3}
      value={draft ?? String(item.quantity)}
      data-testid={`labels-quantity-${item.sku}-${item.kind}`}
      onChange={(e) => setDraft(e.target.value.replace(/\D/g, ''))}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          save();
        }
      }}
    />
  );
}

function Preview({ labels }: { labels: LabelsState }) {
  const { t } = useTranslation();
  const preview = labels.preview;
  if (!preview) return <p className="section-hint labels-preview is-empty">{t('labels.previewHint')}</p>;
  // The label's dots at 8 per mm, one screen pixel per printer dot: small text stays readable.
  return (
    <figure className="labels-preview" data-testid="labels-preview">
      <img
        src={preview.png}
        alt={preview.texts.map((x) => x.text).join(' ')}
        width={preview.widthMm * 8}
        height={preview.heightMm * 8}
        data-testid="labels-preview-image"
      />
      <figcaption className="section-hint">
        {t(`labels.templates.${preview.template}`)} · {preview.barcode.symbology.toUpperCase()} {preview.barcode.data}
      </figcaption>
    </figure>
  );
}
