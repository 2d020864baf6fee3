/**
 * 收據標誌: the logo printed above the store's name. IT picks a 1-bit PBM file (any image tool makes
 * one: `magick logo.png -resize 576x -monochrome logo.pbm`); main checks it and keeps it in the
 * register's settings. At most 576 dots wide (80 mm); 58 mm printers get it shrunk.
 */
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createLogoStore } from '../stores/hardware-stores';
import { useSectionStore } from '../use-section-store';
import { outcomeMessage } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';

export function LogoPanel() {
  const { t } = useTranslation();
  const { logo, busy, outcome, upload, remove } = useSectionStore(createLogoStore);
  const message = outcomeMessage(outcome, t);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) await upload(new Uint8Array(await file.arrayBuffer()));
  };

  return (
    <section className="device-panel" data-testid="logo-panel">
      <h2 className="device-panel-title">{t('hardware.logo.title')}</h2>
      <p className="field-label" data-testid="logo-current">
        {logo ? t('hardware.logo.current', logo) : t('hardware.logo.none')}
      </p>
      <p className="section-hint">{t('hardware.logo.hint')}</p>
      <div className="dialog-buttons">
        <label className="dialog-button logo-pick">
          {t('hardware.logo.choose')}
          <input
            type="file"
            accept=".pbm,image/x-portable-bitmap"
            className="visually-hidden"
            data-testid="logo-file"
            disabled={busy}
            onChange={(event) => void pick(event)}
          />
        </label>
        {logo && (
          <button type="button" className="dialog-button" data-testid="logo-remove" disabled={busy} onClick={() => void remove()}>
            {t('hardware.logo.remove')}
          </button>
        )}
      </div>
      <PanelMessageLine message={message} testId="logo-message" />
    </section>
  );
}
