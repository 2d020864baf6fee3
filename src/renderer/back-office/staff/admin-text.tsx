/**
 * Words shared by the staff, roles and audit sections: permission and audit-event names (i18n keys
 * cannot hold dots, so `refund.with-receipt` is `refund_with_receipt`), and main's refusals.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../../shared/errors';
import { useErrorText } from '../../hooks/use-error-text';
import { ForIt } from '../section-parts';

const keyOf = (name: string) => name.replace(/[.-]/g, '_');

export function useAdminText() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return {
    /** A permission's name; one added by a newer area without words yet shows its code. */
    permission: (name: string) => t(`rolesAdmin.permissionName.${keyOf(name)}` as never, { defaultValue: name }),
    auditKind: (kind: string) => t(`auditAdmin.kindName.${keyOf(kind)}` as never, { defaultValue: kind }),
    /** Main's refusal; for FORBIDDEN its English message says which rule, so it follows, labelled for IT. */
    failure: (error: PosErrorBody): ReactNode =>
      error.code === 'FORBIDDEN' ? (
        <>
          {errorText(error)}
          <ForIt text={error.message} />
        </>
      ) : (
        errorText(error)
      ),
  };
}
