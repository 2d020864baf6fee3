/**
 * 標籤打印機: which label printer (Zebra ZPL, TSC or Xprinter TSPL, the receipt printer, or A4
 * sheets as PDF), its URI (tcp://…:9100 raw port, serial, usb, file), the label sizes for product
 * and shelf labels; save (main checks the URI and audits the change) and print a test label.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  labelPrinterProfiles,
  labelTemplateIds,
  type LabelPrinterConfig,
  type LabelPrinterProfile,
  type LabelTemplateId,
} from '../../../shared/label-schemas';
import { createLabelPrinterStore } from '../stores/hardware-stores';
import { useSectionStore } from '../use-section-store';
import { outcomeMessage, uriFailureDetail } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';
import { UriField } from './device-parts';

interface Draft {
  profile: LabelPrinterProfile;
  uri: string;
  productTemplate: LabelTemplateId;
  shelfTemplate: LabelTemplateId;
  shelfQr: string;
}

function draftOf(config: LabelPrinterConfig | null): Draft {
  return {
    profile: config?.profile ?? 'zebra-203dpi',
    uri: config?.uri ?? '',
    productTemplate: config?.productTemplate ?? 'product-40x30',
    shelfTemplate: config?.shelfTemplate ?? 'shelf-70x38',
    shelfQr: config?.shelfQr ?? '',
  };
}

function savePdf(base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'test-label.pdf';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LabelPrinterPanel() {
  const { t } = useTranslation();
  const store = useSectionStore(createLabelPrinterStore);
  const [draft, setDraft] = useState<Draft | null>(null);
  const form = draft ?? draftOf(store.setup?.printer ?? null);
  const edit = (change: Partial<Draft>) => setDraft({ ...form, ...change });
  const message = outcomeMessage(store.outcome, t, uriFailureDetail);

  const save = (event: FormEvent) => {
    event.preventDefault();
    const uri = form.uri.trim();
    const shelfQr = form.shelfQr.trim();
    void store
      .save({ ...form, uri: uri === '' ? null : uri, shelfQr: shelfQr === '' ? null : shelfQr })
      .then((saved) => saved && setDraft(null));
  };
  const test = () =>
    void store.test().then((pdf) => {
      if (pdf) savePdf(pdf);
    });

  return (
    <form className="device-panel" data-testid="label-printer-panel" onSubmit={save}>
      <h2 className="device-panel-title">{t('hardware.labelPrinter.title')}</h2>
      <div className="device-row">
        <label className="field">
          <span>{t('hardware.labelPrinter.profile')}</span>
          <select
            className="field-input"
            data-testid="label-printer-profile"
            value={form.profile}
            onChange={(e) => edit({ profile: e.target.value as LabelPrinterProfile })}
          >
            {labelPrinterProfiles.map((profile) => (
              <option key={profile} value={profile}>
                {t(`labels.profiles.${profile}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {form.profile !== 'a4-sheet' && (
        <UriField
          label={t('hardware.labelPrinter.uri')}
          hint={t('hardware.labelPrinter.uriHint')}
          testId="label-printer-uri"
          value={form.uri}
          placeholder="tcp://10.0.0.30:9100"
          onChange={(uri) => edit({ uri })}
        />
      )}
      <div className="device-row">
        <label className="field">
          <span>{t('hardware.labelPrinter.productTemplate')}</span>
          <select
            className="field-input"
            data-testid="label-printer-product-template"
            value={form.productTemplate}
            onChange={(e) => edit({ productTemplate: e.target.value as LabelTemplateId })}
          >
            {labelTemplateIds.map((id) => (
              <option key={id} value={id}>
                {t(`labels.templates.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('hardware.labelPrinter.shelfTemplate')}</span>
          <select
            className="field-input"
            data-testid="label-printer-shelf-template"
            value={form.shelfTemplate}
            onChange={(e) => edit({ shelfTemplate: e.target.value as LabelTemplateId })}
          >
            {labelTemplateIds.map((id) => (
              <option key={id} value={id}>
                {t(`labels.templates.${id}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <UriField
        label={t('hardware.labelPrinter.shelfQr')}
        hint={t('hardware.labelPrinter.shelfQrHint')}
        testId="label-printer-shelf-qr"
        value={form.shelfQr}
        placeholder="https://shop.example.hk/p/{sku}"
        onChange={(shelfQr) => edit({ shelfQr })}
      />
      <div className="dialog-buttons">
        <button type="submit" className="dialog-button is-primary" data-testid="label-printer-save" disabled={store.busy}>
          {t('hardware.labelPrinter.save')}
        </button>
        <button
          type="button"
          className="dialog-button"
          data-testid="label-printer-test"
          disabled={store.busy || !store.setup?.printer}
          onClick={test}
        >
          {t('hardware.labelPrinter.test')}
        </button>
        {store.setup?.printer && (
          <button
            type="button"
            className="dialog-button"
            data-testid="label-printer-clear"
            disabled={store.busy}
            onClick={() => void store.save(null).then((saved) => saved && setDraft(null))}
          >
            {t('hardware.labelPrinter.clear')}
          </button>
        )}
      </div>
      <PanelMessageLine message={message} testId="label-printer-message" />
    </form>
  );
}
