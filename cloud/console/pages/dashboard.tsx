/** Today across every store and channel, refreshed every few seconds; registers' health; quarantine. */
import { formatIsoDate } from '../../../src/shared/store-time';
import type { Dashboard } from '../../hq/contract';
import { useLang, useTr } from '../console-store';
import { ErrorLine, Money, PageHeader, When, useLoad } from '../parts';
import { RegisterQueue, RegisterState, SyncAgo } from '../register-health';

/** A register's push shows here within this (plus the request's own time). */
export const DASHBOARD_REFRESH_MS = 3_000;

export function DashboardPage() {
  const tr = useTr();
  const lang = useLang();
  const { data, error } = useLoad<Dashboard>('/dashboard', DASHBOARD_REFRESH_MS);
  const stores = new Map<number, { code: string; name: string; register: number; online: number; documents: number }>();
  for (const row of data?.sales ?? []) {
    const entry = stores.get(row.storeId) ?? {
      code: row.storeCode,
      name: lang === 'en' ? row.storeNameEn : row.storeNameZh,
      register: 0,
      online: 0,
      documents: 0,
    };
    entry[row.channel] += row.total;
    entry.documents += row.documents;
    stores.set(row.storeId, entry);
  }
  const online = data?.registers.filter((r) => r.online).length ?? 0;
  const active = data?.registers.filter((r) => r.revokedAt === null).length ?? 0;
  return (
    <section className="hq-page">
      <PageHeader title={`${tr('今日銷售', "Today's sales")}${data ? ` · ${formatIsoDate(data.day)}` : ''}`}>
        {data ? (
          <span className="hq-muted">
            {tr('更新於', 'As of')} <When ms={data.asOf} />
          </span>
        ) : null}
      </PageHeader>
      <ErrorLine error={error} />
      <div className="hq-cards">
        <div className="hq-card">
          <span className="hq-card-label">{tr('總營業額', 'Total')}</span>
          <strong className="hq-card-figure" data-testid="dash-total">
            <Money cents={data?.total ?? 0} />
          </strong>
        </div>
        <div className="hq-card">
          <span className="hq-card-label">{tr('單據', 'Documents')}</span>
          <strong className="hq-card-figure" data-testid="dash-documents">
            {data?.documents ?? 0}
          </strong>
        </div>
        <div className="hq-card">
          <span className="hq-card-label">{tr('收銀機在線', 'Registers online')}</span>
          <strong className="hq-card-figure" data-testid="dash-online">
            {online} / {active}
          </strong>
        </div>
        <div className={data && data.openQuarantine > 0 ? 'hq-card warn' : 'hq-card'}>
          <span className="hq-card-label">{tr('待處理單據', 'Quarantined')}</span>
          <strong className="hq-card-figure" data-testid="dash-quarantine">
            {data?.openQuarantine ?? 0}
          </strong>
        </div>
      </div>
      <h2>{tr('按分店及渠道', 'By store and channel')}</h2>
      <table className="hq-table" data-testid="dash-stores">
        <thead>
          <tr>
            <th>{tr('分店', 'Store')}</th>
            <th className="num">{tr('門市收銀', 'Registers')}</th>
            <th className="num">{tr('網店', 'Online')}</th>
            <th className="num">{tr('單據', 'Documents')}</th>
            <th className="num">{tr('合計', 'Total')}</th>
          </tr>
        </thead>
        <tbody>
          {[...stores.values()].map((s) => (
            <tr key={s.code} data-testid={`dash-store-${s.code}`}>
              <td>
                {s.code} {s.name}
              </td>
              <td className="num">
                <Money cents={s.register} />
              </td>
              <td className="num">
                <Money cents={s.online} />
              </td>
              <td className="num">{s.documents}</td>
              <td className="num">
                <Money cents={s.register + s.online} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{tr('收銀機', 'Registers')}</h2>
      <table className="hq-table" data-testid="dash-registers">
        <thead>
          <tr>
            <th>{tr('收銀機', 'Register')}</th>
            <th>{tr('狀態', 'State')}</th>
            <th>{tr('版本', 'Version')}</th>
            <th className="num">{tr('待同步', 'Queue')}</th>
            <th>{tr('最後同步', 'Last sync')}</th>
            <th className="num">{tr('已收單據序號', 'Last seq')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.registers ?? []).map((r) => (
            <tr key={r.registerId} data-testid={`dash-register-${r.store.code}-${r.registerCode}`}>
              <td>
                {r.store.code}-{r.registerCode} {r.name}
              </td>
              <td>
                <RegisterState register={r} />
              </td>
              <td data-testid="register-version">{r.appVersion ?? '—'}</td>
              <td className="num">
                <RegisterQueue register={r} testId="register-queue" />
              </td>
              <td>
                <SyncAgo ms={r.lastSyncAt} now={data?.asOf ?? 0} />
              </td>
              <td className="num">{r.lastAppliedSeq}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
