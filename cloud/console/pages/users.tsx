/** Console users (owners): add, change role and stores, deactivate, reset a password, unlock, remove a second factor. */
import { useState, type FormEvent } from 'react';
import { roles, type Role, type StoreItem, type UserRow } from '../../hq/contract';
import { roleName } from '../role-name';
import { useConsole, useLang, useSession, useTr } from '../console-store';
import { ErrorLine, OkLine, PageHeader, When, useAction, useLoad } from '../parts';

export function UsersPage() {
  const tr = useTr();
  const users = useLoad<{ users: UserRow[] }>('/users');
  const stores = useLoad<{ stores: StoreItem[] }>('/stores');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [shownAt] = useState(() => Date.now());
  const storeList = stores.data?.stores ?? [];
  const editingUser = typeof editing === 'number' ? users.data?.users.find((u) => u.id === editing) : undefined;
  const done = () => {
    setEditing(null);
    users.reload();
  };
  return (
    <section className="hq-page">
      <PageHeader title={tr('總部用戶', 'Console users')}>
        <button type="button" onClick={() => setEditing('new')} data-testid="user-new">
          {tr('新增用戶', 'Add user')}
        </button>
      </PageHeader>
      <ErrorLine error={users.error} />
      {editing === 'new' ? <UserForm stores={storeList} onDone={done} onCancel={() => setEditing(null)} /> : null}
      {editingUser ? (
        <UserForm key={editingUser.id} user={editingUser} stores={storeList} onDone={done} onCancel={() => setEditing(null)} />
      ) : null}
      <table className="hq-table" data-testid="users-table">
        <thead>
          <tr>
            <th>{tr('電郵及姓名', 'Email and name')}</th>
            <th>{tr('職位', 'Role')}</th>
            <th>{tr('狀態', 'State')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users.data?.users ?? []).map((u) => (
            <tr key={u.id} data-testid={`user-${u.email}`}>
              <td className="wrap">
                {u.email}
                <div className="hq-muted">{u.name}</div>
              </td>
              <td>
                {roleName(tr, u.role)}
                {u.role === 'store_manager' ? (
                  <span className="hq-muted">
                    {' '}
                    (
                    {storeList
                      .filter((s) => u.storeIds.includes(s.id))
                      .map((s) => s.code)
                      .join(', ')}
                    )
                  </span>
                ) : null}
              </td>
              <td>
                {!u.active ? (
                  tr('已停用', 'Inactive')
                ) : u.lockedUntil !== null && u.lockedUntil > shownAt ? (
                  <span className="lamp bad">
                    {tr('已鎖定至 ', 'Locked until ')}
                    <When ms={u.lockedUntil} />
                  </span>
                ) : (
                  tr('使用中', 'Active')
                )}
                {u.totpEnabled ? <span className="hq-tag">{tr('雙重驗證', '2FA')}</span> : null}
              </td>
              <td className="actions">
                <button type="button" onClick={() => setEditing(u.id)} data-testid={`user-edit-${u.email}`}>
                  {tr('修改', 'Edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UserForm({ user, stores, onDone, onCancel }: { user?: UserRow; stores: StoreItem[]; onDone(): void; onCancel(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const me = useSession().user;
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'viewer');
  const [storeIds, setStoreIds] = useState<number[]>(user?.storeIds ?? []);
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(async () => {
      if (user) {
        await api.put(`/users/${user.id}`, { name, role, storeIds: role === 'store_manager' ? storeIds : [], active });
        if (password !== '') await api.post(`/users/${user.id}/password`, { password });
      } else {
        await api.post('/users', { email, name, role, storeIds: role === 'store_manager' ? storeIds : [], password });
      }
    });
    if (ok) onDone();
  };
  const extra = (path: string, done: string) =>
    void action
      .run(() => api.post(path))
      .then((ok) => {
        if (ok) setNote(done);
      });

  return (
    <form className="hq-form hq-inline-form" onSubmit={(e) => void submit(e)} data-testid="user-form">
      <h2>{user ? user.email : tr('新增用戶', 'New user')}</h2>
      <div className="hq-row">
        {user ? null : (
          <label>
            {tr('電郵', 'Email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus data-testid="user-email" />
          </label>
        )}
        <label>
          {tr('姓名', 'Name')}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} data-testid="user-name" />
        </label>
        <label>
          {tr('職位', 'Role')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={user?.id === me.id} data-testid="user-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleName(tr, r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {user ? tr('新密碼（留空不變）', 'New password (empty: unchanged)') : tr('密碼（最少 10 個字元）', 'Password (10+ characters)')}
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required={!user}
            minLength={10}
            data-testid="user-password"
          />
        </label>
      </div>
      {role === 'store_manager' ? (
        <fieldset className="hq-row">
          <legend>{tr('可管理的分店', 'Stores they manage')}</legend>
          {stores.map((s) => (
            <label key={s.id} className="hq-check">
              <input
                type="checkbox"
                checked={storeIds.includes(s.id)}
                onChange={(e) => setStoreIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id)))}
                data-testid={`user-store-${s.code}`}
              />
              {s.code} {lang === 'en' ? s.nameEn : s.nameZh}
            </label>
          ))}
        </fieldset>
      ) : null}
      {user && user.id !== me.id ? (
        <label className="hq-check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="user-active" />
          {tr('可登入', 'May log in')}
        </label>
      ) : null}
      <ErrorLine error={action.error} />
      <OkLine text={note} />
      <div className="hq-row">
        <button type="submit" className="primary" disabled={action.busy} data-testid="user-save">
          {tr('儲存', 'Save')}
        </button>
        {user && user.lockedUntil !== null ? (
          <button type="button" onClick={() => extra(`/users/${user.id}/unlock`, tr('已解鎖', 'Unlocked'))} data-testid="user-unlock">
            {tr('解鎖', 'Unlock')}
          </button>
        ) : null}
        {user?.totpEnabled ? (
          <button type="button" onClick={() => extra(`/users/${user.id}/totp/disable`, tr('已移除雙重驗證', 'Second factor removed'))}>
            {tr('移除雙重驗證', 'Remove 2FA')}
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          {tr('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}
