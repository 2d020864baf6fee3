/** The console's audit trail (owners): who did what, to what, before and after. */
import type { AuditRow } from '../../hq/contract';
import { useTr } from '../console-store';
import { ErrorLine, PageHeader, When, useLoad } from '../parts';

const text = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** What changed, one line per field: `price: 1800 → 1950` (a whole value when it is not an object). */
export function changes(before: unknown, after: unknown): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (before === null && after === null) return [];
  if (!isObject(before) && !isObject(after)) return [`${text(before ?? undefined)} → ${text(after ?? undefined)}`];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => (k in b && k in a ? `${k}: ${text(b[k])} → ${text(a[k])}` : k in a ? `${k}: ${text(a[k])}` : `${k}: ${text(b[k])} → —`));
}

export function AuditPage() {
  const tr = useTr();
  const { data, error, reload } = useLoad<{ entries: AuditRow[] }>('/audit?limit=200');
  return (
    <section className="hq-page">
      <PageHeader title={tr('審計紀錄', 'Audit trail')}>
        <button type="button" onClick={reload}>
          {tr('重新整理', 'Refresh')}
        </button>
      </PageHeader>
      <ErrorLine error={error} />
      <ul className="hq-list" data-testid="audit-table">
        {(data?.entries ?? []).map((e) => (
          <li key={e.id} className="hq-list-item hq-audit-entry" data-testid="audit-row">
            <div className="hq-row spread">
              <strong>
                {e.action} {e.target === '' ? null : <span className="hq-tag">{e.target}</span>}
              </strong>
              <span className="hq-muted">
                {e.userEmail} · <When ms={e.at} />
              </span>
            </div>
            <div className="hq-scroll-x small" data-scrolls-x>
              {changes(e.before, e.after).map((line) => (
                <div key={line}>{line}</div>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
