/**
 * 收據標誌: the logo printed above the store's name. IT picks a 1-bit PBM file (any image tool makes
 * one: `magick logo.png -resize 576x -monochrome logo.pbm`); main checks it and keeps it in the
 * register's settings. At most 576 dots wide (80 mm); 58 mm printers get it shrunk.
 */
import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { findPosApi } from '../../pos';
import { failureText, type PanelMessage } from './hardware-message';

type LogoInfo = { width: number; height: number } | null;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function LogoPanel() {
  const { t } = useTranslation();
  const [logo, setLogo] = useState<LogoInfo | undefined>(undefined);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void findPosApi()
      ?.['hardware:logo']({})
      .then((result) => result.ok && setLogo(result.value));
  }, []);

  const api = findPosApi();
  if (!api) return null;

  const save = async (pbm: string | null) => {
    setBusy(true);
    const result = await api['hardware:set-logo']({ pbm });
    setBusy(false);
    if (result.ok) {
      setLogo(result.value);
      setMessage({ text: result.value ? t('hardware.logo.saved', result.value) : t('hardware.logo.removed'), bad: false });
    } else setMessage({ text: failureText(result.error, t(`errors.${result.error.code}`)), bad: true });
  };

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > 45_000) return setMessage({ text: t('hardware.logo.tooBig'), bad: true });
    await save(toBase64(new Uint8Array(await file.arrayBuffer())));
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
          <button type="button" className="dialog-button" data-testid="logo-remove" disabled={busy} onClick={() => void save(null)}>
            {t('hardware.logo.remove')}
          </button>
        )}
      </div>
      {message && (
        <p className={message.bad ? 'field-error' : 'device-ok'} data-testid="logo-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
