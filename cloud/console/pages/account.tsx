/** The user's own account: set up the authenticator app (TOTP) as a second factor. */
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../hq/contract';
import { roleName } from '../role-name';
import { useConsole, useSession, useTr } from '../console-store';
import { ErrorLine, PageHeader, useAction } from '../parts';

export function AccountPage() {
  const { api, store } = useConsole();
  const tr = useTr();
  const { user } = useSession();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const action = useAction();

  const start = () => void action.run(async () => setSetup(await api.post('/me/totp/start')));
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() => api.post('/me/totp/confirm', { code }));
    if (ok) {
      setSetup(null);
      store.getState().setSession(await api.get<SessionInfo>('/session'));
    }
  };

  return (
    <section className="hq-page">
      <PageHeader title={tr('我的帳戶', 'My account')} />
      <dl className="hq-facts">
        <dt>{tr('電郵', 'Email')}</dt>
        <dd>{user.email}</dd>
        <dt>{tr('職位', 'Role')}</dt>
        <dd>{roleName(tr, user.role)}</dd>
        <dt>{tr('雙重驗證', 'Second factor')}</dt>
        <dd data-testid="account-totp">{user.totpEnabled ? tr('已啟用', 'On') : tr('未啟用', 'Off')}</dd>
      </dl>
      {!user.totpEnabled && !setup ? (
        <button type="button" className="primary" onClick={start} disabled={action.busy} data-testid="totp-start">
          {tr('設定驗證器 App', 'Set up an authenticator app')}
        </button>
      ) : null}
      {setup ? (
        <form className="hq-form" onSubmit={(e) => void confirm(e)} data-testid="totp-setup">
          <p>
            {tr(
              '在驗證器 App（Google Authenticator、Microsoft Authenticator 等）加入此金鑰：',
              'Add this key to your authenticator app (Google Authenticator, Microsoft Authenticator …):',
            )}
          </p>
          <p className="hq-code" data-testid="totp-secret">
            {setup.secret}
          </p>
          <p className="hq-muted wrap small">{setup.uri}</p>
          <label>
            {tr('App 顯示的六位數字', 'The six digits the app shows')}
            <input
              inputMode="numeric"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              required
              autoFocus
              data-testid="totp-code"
            />
          </label>
          <button type="submit" className="primary" disabled={action.busy} data-testid="totp-confirm">
            {tr('啟用', 'Turn on')}
          </button>
        </form>
      ) : null}
      <ErrorLine error={action.error} />
    </section>
  );
}
