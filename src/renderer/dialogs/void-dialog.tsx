import { useTranslation } from 'react-i18next';
import { useErrorText } from '../hooks/use-error-text';
import { useCart, usePosStores } from '../stores/stores-context';
import { ReasonDialog } from './reason-dialog';

const REASONS = ['customerLeft', 'changedMind', 'wrongItems', 'priceDispute', 'other'] as const;

/** 取消交易: the whole cart goes, with a reason for the audit trail (a chip, and words if needed). */
export function VoidDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const lineCount = useCart((s) => s.cart?.lines.length ?? 0);

  return (
    <ReasonDialog
      title={t('void.title')}
      name="void"
      reasons={REASONS}
      reasonWords={(key) => t(`void.reasons.${key as (typeof REASONS)[number]}`)}
      fieldLabel={t('void.reason')}
      needReason={t('void.needReason')}
      okLabel={t('void.confirm')}
      lead={<p className="dialog-warning">{t('void.warning', { count: lineCount })}</p>}
      onClose={() => ui.getState().close()}
      onConfirm={async (reason) => {
        const outcome = await cart.getState().voidCart(reason);
        return outcome.ok ? { done: true } : { done: false, message: errorText(outcome.error) };
      }}
    />
  );
}
