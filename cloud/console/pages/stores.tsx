/** Stores and registers: add a store, make a register's one-time enrolment code, revoke a register. */
import { useState, type FormEvent } from 'react';
import type { RegisterHealth, StoreItem } from '../../hq/contract';
import { useConsole, useLang, useMay, useTr } from '../console-store';
import { ErrorLine, PageHeader, Qr, When, useAction, useLoad } from '../parts';
import { RegisterQueue, RegisterState, SyncAgo } from '../register-health';

export function StoresPage() {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const may = useMay();
  const stores = useLoad<{ stores: StoreItem[] }>('/stores');
  const registers = useLoad<{ registers: RegisterHealth[]; asOf: number }>('/registers');
  const [code, setCode] = useState<{ storeCode: string; code: string; expiresAt: number } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useAction();

  const enrolCode = (store: StoreItem) =>
    void action.run(async () => setCode(await api.post(`/stores/${store.id}/enrol-codes`, { ttlMinutes: 60 })));
  const revoke = (registerId: string) =>
    void action
      .run(() => api.post(`/registers/${registerId}/revoke`))
      .then((ok) => {
        if (ok) {
          setConfirming(null);
          registers.reload();
        }
      });

  return (
    <section className="hq-page">
      <PageHeader title={tr('分店及收銀機', 'Stores & registers')} />
      <ErrorLine error={stores.error ?? registers.error ?? action.error} />
      {code ? (
        <div className="hq-notice" role="status" data-testid="enrol-code">
          <p>{tr(`分店 ${code.storeCode} 的登記碼（只用一次）：`, `One-time enrolment code for store ${code.storeCode}:`)}</p>
          <div className="hq-row">
            <p className="hq-code" data-testid="enrol-code-text">
              {code.code}
            </p>
            <Qr text={code.code} label={tr('登記碼 QR', 'Enrolment code QR')} size={120} testId="enrol-code-qr" />
          </div>
          <p className="hq-muted">
            {tr(
              '在收銀機：管理 (F11) → 雲端同步 → 輸入雲端地址及此碼 → 登記。有效至 ',
              'On the register: F11 → Cloud sync → type the cloud address and this code → Enrol. Valid until ',
            )}
            <When ms={code.expiresAt} />
          </p>
          <button type="button" onClick={() => setCode(null)}>
            {tr('關閉', 'Close')}
          </button>
        </div>
      ) : null}
      <table className="hq-table" data-testid="stores-table">
        <thead>
          <tr>
            <th>{tr('代號', 'Code')}</th>
            <th>{tr('名稱', 'Name')}</th>
            <th>{tr('電話', 'Phone')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(stores.data?.stores ?? []).map((s) => (
            <tr key={s.id} data-testid={`store-${s.code}`}>
              <td>{s.code}</td>
              <td className="wrap">{lang === 'en' ? s.nameEn : s.nameZh}</td>
              <td>{s.phone}</td>
              <td className="actions">
                {may('registers.manage') ? (
                  <button type="button" onClick={() => enrolCode(s)} disabled={action.busy} data-testid={`enrol-${s.code}`}>
                    {tr('產生登記碼', 'Enrolment code')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {may('stores.manage') ? <NewStore onCreated={stores.reload} /> : null}
      <h2>{tr('收銀機', 'Registers')}</h2>
      <table className="hq-table" data-testid="registers-table">
        <thead>
          <tr>
            <th>{tr('收銀機', 'Register')}</th>
            <th>{tr('狀態', 'State')}</th>
            <th>{tr('版本', 'Version')}</th>
            <th className="num">{tr('待同步', 'Queue')}</th>
            <th>{tr('最後同步', 'Last sync')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(registers.data?.registers ?? []).map((r) => (
            <tr key={r.registerId} data-testid={`register-${r.store.code}-${r.registerCode}`}>
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
                <SyncAgo ms={r.lastSyncAt} now={registers.data?.asOf ?? 0} />
              </td>
              <td className="actions">
                {r.revokedAt === null && may('registers.manage') ? (
                  confirming === r.registerId ? (
                    <>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => revoke(r.registerId)}
                        disabled={action.busy}
                        autoFocus
                        data-testid="revoke-confirm"
                      >
                        {tr('確定停用', 'Revoke now')}
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        {tr('取消', 'Cancel')}
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      onClick={() => setConfirming(r.registerId)}
                      data-testid={`revoke-${r.store.code}-${r.registerCode}`}
                    >
                      {tr('停用', 'Revoke')}
                    </button>
                  )
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function NewStore({ onCreated }: { onCreated(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const [code, setCode] = useState('');
  const [nameZh, setNameZh] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [phone, setPhone] = useState('');
  const save = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run(() => api.post('/stores', { code: code.trim().toUpperCase(), nameZh, nameEn, phone }))) {
      setCode('');
      setNameZh('');
      setNameEn('');
      setPhone('');
      onCreated();
    }
  };
  return (
    <form className="hq-form hq-inline-form" onSubmit={(e) => void submit(e)} data-testid="new-store">
      <h2>{tr('新增分店', 'New store')}</h2>
      <div className="hq-row">
        <label>
          {tr('代號 (A-Z 0-9)', 'Code (A-Z 0-9)')}
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
            maxLength={16}
            pattern="[A-Za-z0-9]{1,16}"
            data-testid="store-code"
          />
        </label>
        <label>
          {tr('中文名稱', 'Chinese name')}
          <input value={nameZh} onChange={(e) => setNameZh(e.target.value)} required maxLength={100} data-testid="store-name-zh" />
        </label>
        <label>
          {tr('英文名稱', 'English name')}
          <input value={nameEn} onChange={(e) => setNameEn(e.target.value)} required maxLength={100} data-testid="store-name-en" />
        </label>
        <label>
          {tr('電話', 'Phone')}
          <input value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={40} />
        </label>
      </div>
      <ErrorLine error={save.error} />
      <button type="submit" className="primary" disabled={save.busy} data-testid="store-save">
        {tr('新增', 'Add')}
      </button>
    </form>
  );
}
