import { useTranslation } from 'react-i18next';
import { useRegister } from '../stores/stores-context';

/**
 * 練習模式: impossible to miss, in both languages whatever the screen's language, on every screen
 * of the till and the back office while the register (or this login) is in training.
 */
export function TrainingBanner() {
  const { t } = useTranslation();
  const kickDrawer = useRegister((s) => s.status?.training?.kickDrawer === true);
  return (
    <div className="training-banner" role="status" data-testid="training-banner">
      <strong className="training-banner-title">練習模式 TRAINING MODE</strong>
      <span className="training-banner-note">
        {t('status.trainingNote')}
        {kickDrawer && ` · ${t('status.trainingDrawer')}`}
      </span>
    </div>
  );
}
