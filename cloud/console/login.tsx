/** Email and password; the authenticator's code when the account has one. Enter submits. */
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../hq/contract';
import { useConsole, useLang, useTr } from './console-store';
import { errorText } from './i18n';

export function LoginScreen() {
  const { api, store } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.post<SessionInfo>('/login', { email, password, ...(needTotp ? { totp } : {}) });
      store.getState().setSession(session);
    } catch (caught) {
      if ((caught as { code?: string }).code === 'TOTP_REQUIRED') setNeedTotp(true);
      else setError(caught);
      if ((caught as { code?: string }).code === 'TOTP_INVALID') setTotp('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hq-login">
      <form className="hq-login-card" onSubmit={(event) => void submit(event)} data-testid="login-form">
        <h1>算盤 {tr('總部', 'HQ')}</h1>
        <p className="hq-muted">{tr('總部管理台', 'Head office console')}</p>
        <label>
          {tr('電郵', 'Email')}
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
            data-testid="login-email"
          />
        </label>
        <label>
          {tr('密碼', 'Password')}
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid="login-password"
          />
        </label>
        {needTotp ? (
          <label>
            {tr('驗證碼（六位數字）', 'Authenticator code (6 digits)')}
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              value={totp}
              onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))}
              required
              autoFocus
              data-testid="login-totp"
            />
          </label>
        ) : null}
        {error ? (
          <p className="hq-error" role="alert" data-testid="login-error">
            {errorText(lang, error)}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {tr('登入', 'Log in')}
        </button>
        <button type="button" className="hq-link" onClick={() => store.getState().toggleLang()}>
          {lang === 'en' ? '中文' : 'English'} <kbd>F10</kbd>
        </button>
      </form>
    </div>
  );
}
