import type { TFunction } from 'i18next';
import type { RegisterStatus } from '../../shared/schemas';

/**
 * The status bar printer's tooltip, in the reader's language: what its state means and what to do
 * (paper running low on a ready printer says so); the driver's own English words, when it said
 * any, follow on a line of their own labelled for IT.
 */
export function printerTooltip(t: TFunction, printer: RegisterStatus['printer']): string {
  const hint =
    printer.state === 'ready' && printer.paperNearEnd === true
      ? t('status.printerHint.paperLow')
      : t(`status.printerHint.${printer.state}`);
  return printer.message ? `${hint}\n${t('backOffice.forIt')}${printer.message}` : hint;
}
