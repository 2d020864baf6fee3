/**
 * Register staff, kept centrally: name, role and the stores each person works at. Registers pull
 * them through the change feed; the PIN is still set at each register by a manager there.
 */
import { useState, type FormEvent } from 'react';
import { registerStaffRoles, type RegisterStaffRow, type StoreItem } from '../../hq/contract';
import { useConsole, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { SelectField } from '../controls';
import { ErrorLine, InputError, PageHeader, useAction, useLoad } from '../parts';

export function roleName(tr: Tr, role: string): string {
  const names: Record<string, [string, string]> = {
    cashier: ['收銀員', 'Cashier'],
    supervisor: ['主管', 'Supervisor'],
    manager: ['經理', 'Manager'],
    admin: ['系統管理員', 'Administrator'],
  };
  const found = names[role];
  return found ? tr(found[0], found[1]) : role;
}

const NEW = '';

export function RegisterStaffPage() {
  const tr = useTr();
  const may = useMay();
  const { data, error, reload } = useLoad<{ staff: RegisterStaffRow[] }>('/register-staff');
  const stores = useLoad<{ stores: StoreItem[] }>('/stores').data?.stores ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const person = data?.staff.find((s) => s.code === editing) ?? null;
  return (
    <section className="hq-page">
      <PageHeader title={tr('收銀機員工', 'Register staff')}>
        {may('staff.manage') ? (
          <button type="button" className="primary" onClick={() => setEditing(NEW)} data-testid="staff-new">
            {tr('新增員工', 'Add a person')}
          </button>
        ) : null}
      </PageHeader>
      <p className="hq-muted">
        {tr(
          '姓名、職位及可工作的分店由總部設定，收銀機同步後生效；密碼（PIN）仍由各收銀機的經理設定。',
          'Names, roles and stores are set here and reach the registers at their next sync; each register’s manager still sets the PIN there.',
        )}
      </p>
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="staff-table">
        <thead>
          <tr>
            <th>{tr('編號', 'Code')}</th>
            <th>{tr('姓名', 'Name')}</th>
            <th>{tr('職位', 'Role')}</th>
            <th>{tr('分店', 'Stores')}</th>
            <th>{tr('狀態', 'Status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.staff ?? []).map((s) => (
            <tr key={s.code} className={s.active ? '' : 'inactive'} data-testid={`staff-${s.code}`}>
              <td>{s.code}</td>
              <td>
                {s.nameZh} {s.nameEn}
              </td>
              <td>{roleName(tr, s.role)}</td>
              <td>{s.storeCodes === null ? tr('所有分店', 'All stores') : s.storeCodes.join(', ') || '—'}</td>
              <td>{s.active ? tr('在職', 'Active') : tr('停用', 'Inactive')}</td>
              <td className="actions">
                {may('staff.manage') ? (
                  <button type="button" onClick={() => setEditing(s.code)} data-testid={`staff-edit-${s.code}`}>
                    {tr('修改', 'Edit')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing !== null ? (
        <StaffForm
          key={editing}
          person={person}
          stores={stores}
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

function StaffForm({ person, stores, onDone }: { person: RegisterStaffRow | null; stores: StoreItem[]; onDone(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const [code, setCode] = useState(person?.code ?? '');
  const [nameZh, setNameZh] = useState(person?.nameZh ?? '');
  const [nameEn, setNameEn] = useState(person?.nameEn ?? '');
  const [role, setRole] = useState<RegisterStaffRow['role']>(person?.role ?? 'cashier');
  const [active, setActive] = useState(person?.active ?? true);
  const [allStores, setAllStores] = useState(person ? person.storeIds === null : true);
  const [storeIds, setStoreIds] = useState<number[]>(person?.storeIds ?? []);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^[A-Za-z0-9-]{1,16}$/.test(code))
      return setInputError(tr('編號為 1 至 16 個英文字母、數字或 -', 'The code is 1 to 16 letters, digits or dashes'));
    if (!allStores && storeIds.length === 0) return setInputError(tr('請揀選最少一間分店', 'Pick at least one store'));
    setInputError(null);
    const ok = await save.run(() =>
      api.put(`/register-staff/${encodeURIComponent(code)}`, { nameZh, nameEn, role, active, storeIds: allStores ? null : storeIds }),
    );
    if (ok) onDone();
  };

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="staff-form">
      <h2>{person ? `${person.code} ${person.nameZh}` : tr('新增員工', 'Add a person')}</h2>
      <fieldset disabled={save.busy}>
        <div className="hq-row">
          <label>
            {tr('編號', 'Code')}
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              readOnly={person !== null}
              maxLength={16}
              size={10}
              data-testid="staff-code"
            />
          </label>
          <label>
            {tr('中文姓名', 'Chinese name')}
            <input value={nameZh} onChange={(e) => setNameZh(e.target.value)} required maxLength={40} data-testid="staff-name-zh" />
          </label>
          <label>
            {tr('英文姓名', 'English name')}
            <input value={nameEn} onChange={(e) => setNameEn(e.target.value)} required maxLength={40} data-testid="staff-name-en" />
          </label>
          <SelectField
            label={tr('職位', 'Role')}
            value={role}
            onChange={setRole}
            choices={registerStaffRoles.map((r) => [r, roleName(tr, r)] as const)}
            testId="staff-role"
          />
        </div>
        <div className="hq-row">
          <label className="hq-check">
            <input type="checkbox" checked={allStores} onChange={(e) => setAllStores(e.target.checked)} data-testid="staff-all-stores" />
            {tr('所有分店', 'All stores')}
          </label>
          {allStores
            ? null
            : stores.map((s) => (
                <label key={s.id} className="hq-check">
                  <input
                    type="checkbox"
                    checked={storeIds.includes(s.id)}
                    onChange={(e) => setStoreIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id)))}
                    data-testid={`staff-store-${s.code}`}
                  />
                  {s.code}
                </label>
              ))}
          <label className="hq-check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="staff-active" />
            {tr('在職', 'Active')}
          </label>
        </div>
      </fieldset>
      <InputError text={inputError} />
      <ErrorLine error={save.error} />
      <div className="hq-row">
        <button type="submit" className="primary" disabled={save.busy} data-testid="staff-save">
          {tr('儲存', 'Save')}
        </button>
        <button type="button" onClick={onDone}>
          {tr('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}
