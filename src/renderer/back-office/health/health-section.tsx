/**
 * 健康狀態 / Health: the register's state for shop IT, live while the panel is visible (disk,
 * database and WAL, integrity, migrations, last backup, printer, drawer, display, scanner, sync and
 * its queue, clock skew, version), each line with its status and what to do; and the diagnostics
 * bundle for a support ticket, with where main saved it.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { wallClock } from '../../../shared/store-time';
import { useErrorText } from '../../hooks/use-error-text';
import { useStoreTime } from '../../hooks/use-store-time';
import { downloadBase64 } from '../reports/download';
import { ErrorLine, ForIt, SectionHeader, TableHead } from '../section-parts';
import { createHealthStore } from '../stores/health-store';
import { useSectionStore } from '../use-section-store';
import { ageOf, formatBytes, healthItems, overallLevel, type HealthItem, type HealthText } from './health-items';
import { startVisibleRefresh } from './visible-refresh';

/** How often the panel reads the register's health while it is visible. */
export const HEALTH_REFRESH_MS = 5_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** An item's words: `health.values.*` or `health.advice.*`, an age put in as `{{age}}`. */
function useHealthWords(): (prefix: 'values' | 'advice', text: HealthText) => string {
  const { t } = useTranslation();
  const words = (key: string, params: HealthText['params'], fallback: string): string =>
    t(key as never, { ...params, defaultValue: fallback }) as string;
  return (prefix, text) => {
    const ago = text.ageMs === undefined ? null : ageOf(text.ageMs);
    const params: Record<string, string | number> = { ...text.params };
    if (ago) params.age = words(`health.ago.${ago.key}`, ago.params, '');
    return words(`health.${prefix}.${text.key}`, params, text.key);
  };
}

function HealthRow({ item }: { item: HealthItem }) {
  const { t } = useTranslation();
  const words = useHealthWords();
  return (
    <tr className={`health-row is-${item.level}`} data-testid={`health-${item.id}`} data-level={item.level}>
      <th scope="row">{t(`health.items.${item.id}`)}</th>
      <td>
        <span className={`health-badge is-${item.level}`} data-testid={`health-${item.id}-level`}>
          {t(`health.levels.${item.level}`)}
        </span>
      </td>
      <td className="health-now">
        <span data-testid={`health-${item.id}-value`}>{words('values', item.value)}</span>
        {item.detail && (
          <span className="health-detail" data-testid={`health-${item.id}-detail`}>
            <ForIt text={item.detail} />
          </span>
        )}
      </td>
      <td className="health-todo" data-testid={`health-${item.id}-advice`}>
        {item.advice ? words('advice', item.advice) : null}
      </td>
    </tr>
  );
}

export function HealthSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const health = useSectionStore(createHealthStore);
  const { report, bundle, making, error, load } = health;

  useEffect(() => startVisibleRefresh(document, HEALTH_REFRESH_MS, load), [load]);

  const items = report ? healthItems(report) : [];
  const level = overallLevel(items);
  const counted = items.filter((item) => item.level === level).length;
  const checked = report ? wallClock(report.checkedAt, storeTime.timeZone) : null;

  return (
    <div className="health-section" data-testid="health-section">
      <SectionHeader title={t('health.title')} hint={t('health.hint', { seconds: HEALTH_REFRESH_MS / 1000 })} />
      <ErrorLine testId="health-error">{error && `${errorText(error)}`}</ErrorLine>
      {report && checked && (
        <>
          <div className={`health-headline is-${level}`} role="status" data-testid="health-overall" data-level={level}>
            <strong>{t(`health.overall.${level}`, { count: counted })}</strong>
            <span className="health-checked" data-testid="health-checked-at">
              {t('health.checkedAt', { time: `${pad(checked.hour)}:${pad(checked.minute)}:${pad(checked.second)}` })}
            </span>
          </div>
          <table className="admin-table health-table" data-testid="health-table">
            <TableHead
              columns={[t('health.columns.item'), t('health.columns.status'), t('health.columns.now'), t('health.columns.todo')]}
            />
            <tbody>
              {items.map((item) => (
                <HealthRow key={item.id} item={item} />
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="admin-card health-bundle" data-testid="health-bundle">
        <h3>{t('health.bundle.title')}</h3>
        <p className="section-hint">{t('health.bundle.hint')}</p>
        <div className="admin-form-actions">
          <button
            type="button"
            className="admin-button is-primary"
            data-testid="health-make-bundle"
            disabled={making}
            onClick={() => void health.makeBundle()}
          >
            {making ? t('health.bundle.making') : t('health.bundle.make')}
          </button>
          {bundle?.base64 && (
            <button
              type="button"
              className="admin-button"
              data-testid="health-download-bundle"
              onClick={() => downloadBase64(bundle.name, bundle.base64!)}
            >
              {t('health.bundle.download')}
            </button>
          )}
        </div>
        {bundle && (
          <p className="health-saved" role="status" data-testid="health-bundle-saved">
            {t('health.bundle.saved')}{' '}
            <code lang="en" data-testid="health-bundle-file">
              {bundle.file}
            </code>{' '}
            ({formatBytes(bundle.bytes)})
          </p>
        )}
      </div>
    </div>
  );
}
