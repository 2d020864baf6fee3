import { useTranslation } from 'react-i18next';
import type { RegisterStatus } from '../../shared/schemas';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useRegister, useSession } from '../stores/stores-context';
import { Clock } from './clock';
import { printerTooltip } from './printer-tooltip';

type SyncState = RegisterStatus['sync']['state'];
type PrinterState = RegisterStatus['printer']['state'];

/** Colour says only good / needs a look / broken; "not set up" is neutral, not an alarm. */
const syncTone: Record<SyncState, string> = {
  'not-enrolled': 'neutral',
  online: 'ok',
  offline: 'warn',
  attention: 'bad',
};

const printerTone: Record<PrinterState, string> = {
  'not-configured': 'neutral',
  ready: 'ok',
  offline: 'bad',
  'paper-out': 'bad',
  'cover-open': 'bad',
  error: 'bad',
};

export function StatusBar() {
  const status = useRegister((s) => s.status);
  if (!status) return null;
  return (
    <header className="status-bar">
      <StoreAndRegister status={status} />
      <StaffOnDuty />
      <span className="status-fill" />
      <SyncIndicator sync={status.sync} />
      <PrinterIndicator printer={status.printer} />
      {status.database === 'damaged' && <DamagedDatabase />}
      {status.database === 'disk-full' && <DiskFull />}
      {status.audit === 'tampered' && <AuditTampered />}
      <Clock />
    </header>
  );
}

function StoreAndRegister({ status }: { status: RegisterStatus }) {
  const { locale } = useLocale();
  return (
    <span className="status-item status-store">
      <span data-testid="store-name">{localName(status.store, locale)}</span>
      <span className="status-dot-separator" aria-hidden="true">
        ·
      </span>
      <span data-testid="register-name">{status.register.name}</span>
    </span>
  );
}

function StaffOnDuty() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const staff = useSession((s) => s.staff);
  if (!staff) {
    return (
      <span className="status-item status-staff status-muted" data-testid="staff-none">
        {t('status.notLoggedIn')}
      </span>
    );
  }
  return (
    <span className="status-item status-staff">
      <span data-testid="staff-name">{localName(staff, locale)}</span>
      <span className="status-role">
        {t('status.roleInBrackets', { role: localName({ nameZh: staff.roleNameZh, nameEn: staff.roleNameEn }, locale) })}
      </span>
    </span>
  );
}

function SyncIndicator({ sync }: { sync: RegisterStatus['sync'] }) {
  const { t } = useTranslation();
  return (
    <span
      className={`status-item status-indicator tone-${syncTone[sync.state]}`}
      data-testid="sync-status"
      data-state={sync.state}
      data-attention={sync.attention ?? undefined}
    >
      <span className="status-lamp" aria-hidden="true" />
      {/* The reason itself, so the cashier can tell IT what is wrong without opening the back office. */}
      {sync.attention ? t(`status.syncAttention.${sync.attention}`) : t(`status.sync.${sync.state}`)}
      <span className="status-dot-separator" aria-hidden="true">
        ·
      </span>
      <span className={sync.pending > 0 ? 'status-pending has-pending' : 'status-pending'} data-testid="sync-pending">
        {t('status.pending', { count: sync.pending })}
      </span>
    </span>
  );
}

/** The printer's state; paper running low turns a ready printer amber; jobs waiting are counted. */
function PrinterIndicator({ printer }: { printer: RegisterStatus['printer'] }) {
  const { t } = useTranslation();
  const state: PrinterState = printer.state;
  const low = state === 'ready' && printer.paperNearEnd === true;
  return (
    <span
      className={`status-item status-indicator tone-${low ? 'warn' : printerTone[state]}`}
      data-testid="printer-status"
      data-state={state}
      title={printerTooltip(t, printer)}
    >
      <span className="status-lamp" aria-hidden="true" />
      {t(`status.printer.${state}`)}
      {low && <span data-testid="printer-paper-low">{t('status.printerPaperLow')}</span>}
      {(printer.queued ?? 0) > 0 && state !== 'ready' && (
        <span data-testid="printer-queued">{t('status.printerQueued', { count: printer.queued })}</span>
      )}
    </span>
  );
}

/** Shown only when the background integrity check failed: IT must restore a backup. */
function DamagedDatabase() {
  const { t } = useTranslation();
  return (
    <span className="status-item status-indicator tone-bad" data-testid="database-damaged" role="alert">
      <span className="status-lamp" aria-hidden="true" />
      {t('status.databaseDamaged')}
    </span>
  );
}

/** The audit log no longer reached its anchor at start (newest rows deleted); recorded in the log itself. */
function AuditTampered() {
  const { t } = useTranslation();
  return (
    <span className="status-item status-indicator tone-bad" data-testid="audit-tampered" role="alert">
      <span className="status-lamp" aria-hidden="true" />
      {t('status.auditTampered')}
    </span>
  );
}

/** A write found the disk full (nothing was written); it goes away by itself once the disk has room. */
function DiskFull() {
  const { t } = useTranslation();
  return (
    <span className="status-item status-indicator tone-bad" data-testid="disk-full" role="alert">
      <span className="status-lamp" aria-hidden="true" />
      {t('status.diskFull')}
    </span>
  );
}
