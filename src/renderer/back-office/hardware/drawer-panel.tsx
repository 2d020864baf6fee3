/** 錢箱: when a sale opens the drawer (by tender), and a test that opens it now through the printer. */
import { useTranslation } from 'react-i18next';
import { DrawerRule } from '../../../shared/hardware-schemas';
import { createDrawerStore } from '../stores/hardware-stores';
import { useSectionStore } from '../use-section-store';
import { outcomeMessage } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';

export function DrawerPanel() {
  const { t } = useTranslation();
  const { rule, busy, outcome, choose, open } = useSectionStore(createDrawerStore);
  const message = outcomeMessage(outcome, t);

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
      <PanelMessageLine message={message} testId="drawer-message" />
    </section>
  );
}
