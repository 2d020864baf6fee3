/**
 * F9 開錢箱: No Sale. The cashier picks or types a reason; main checks the permission (a role
 * without it gets the manager PIN pad), writes the audit row and kicks the drawer through the
 * receipt printer (DLE DC4 where the printer allows it, so it opens with the paper out).
 */
import { useTranslation } from 'react-i18next';
import { ReasonDialog } from '../dialogs/reason-dialog';
import { useErrorText } from '../hooks/use-error-text';
import { findPosApi } from '../pos';
import { isApprovalCancelled } from '../stores/approval-store';
import { usePosStores } from '../stores/stores-context';

const REASONS = ['change', 'correction', 'check', 'other'] as const;

export function NoSaleDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { ui, approval } = usePosStores();

  return (
    <ReasonDialog
      title={t('hardware.noSale.title')}
      name="no-sale"
      size="small"
      reasons={REASONS}
      reasonWords={(key) => t(`hardware.noSale.reasons.${key as (typeof REASONS)[number]}`)}
      fieldLabel={t('hardware.noSale.reason')}
      needReason={t('hardware.noSale.needReason')}
      okLabel={t('hardware.noSale.confirm')}
      onClose={() => ui.getState().close()}
      onConfirm={async (reason) => {
        const api = findPosApi();
        if (!api) return { done: false };
        const result = await approval
          .getState()
          .withApproval('no-sale', (given) => api['drawer:no-sale']({ reason, ...(given ? { approval: given } : {}) }));
        if (result.ok) return { done: true };
        return isApprovalCancelled(result) ? { done: false } : { done: false, message: errorText(result.error) };
      }}
    />
  );
}
