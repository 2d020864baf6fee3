/** 錢箱: when a sale opens the drawer (by tender), and a test that opens it now through the printer. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DrawerRule } from '../../../shared/hardware-schemas';
import { findPosApi } from '../../pos';
import { failureText, type PanelMessage } from './hardware-message';

export function DrawerPanel() {
  const { t } = useTranslation();
  const [rule, setRule] = useState<DrawerRule | null>(null);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const api = findPosApi();
    if (!api) return;
    void api['hardware:config']({}).then((result) => result.ok && setRule(result.value.drawerRule));
  }, []);

  const api = findPosApi();
  if (!api) return null;

  const choose = async (next: DrawerRule) => {
    setBusy(true);
    const result = await api['hardware:set-drawer-rule']({ rule: next });
    setBusy(false);
    if (result.ok) {
      setRule(result.value.drawerRule);
      setMessage(null);
    } else setMessage({ text: failureText(result.error, t(`errors.${result.error.code}`)), bad: true });
  };

  const open = async () => {
    setBusy(true);
    const result = await api['hardware:open-drawer']({});
    setBusy(false);
    setMessage(
      result.ok
        ? { text: t('hardware.drawer.opened', { uri: result.value.uri }), bad: false }
        : { text: failureText(result.error, t(`errors.${result.error.code}`)), bad: true },
    );
  };

  return (
    <section className="device-panel" data-testid="drawer-panel">
      <h2 className="device-panel-title">{t('hardware.drawer.title')}</h2>
      <div className="chip-row" role="radiogroup" aria-label={t('hardware.drawer.rule')}>
        <span className="field-label">{t('hardware.drawer.rule')}</span>
        {DrawerRule.options.map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={rule === option}
            className={rule === option ? 'chip is-selected' : 'chip'}
            data-testid={`drawer-rule-${option}`}
            disabled={busy}
            onClick={() => void choose(option)}
          >
            {t(`hardware.drawer.rules.${option}`)}
          </button>
        ))}
      </div>
      <div className="dialog-buttons">
        <button type="button" className="dialog-button" data-testid="drawer-open" disabled={busy} onClick={() => void open()}>
          {t('hardware.drawer.open')}
        </button>
      </div>
      {message && (
        <p className={message.bad ? 'field-error' : 'device-ok'} data-testid="drawer-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
