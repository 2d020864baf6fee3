/**
 * The console: the login form until there is a session, then the shell (top bar, menu of the
 * screens the role may use, the screen). Keys: F10 中/EN; Alt+1…9 the menu's entries; Tab moves
 * through everything.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../hq/contract';
import { useConsole, useTr } from './console-store';
import { LoginScreen } from './login';
import { roleName } from './role-name';
import { consolePages, type ConsolePage } from './pages/registry';

const BASE = '/hq/';

function currentPath(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length).replace(/\/+$/, '') : '';
}

export function App() {
  const { api, store } = useConsole();
  const session = store((s) => s.session);
  const checking = store((s) => s.checking);
  const toggleLang = store((s) => s.toggleLang);

  useEffect(() => {
    api.get<SessionInfo>('/session').then(
      (info) => store.getState().setSession(info),
      () => store.getState().setSession(null),
    );
  }, [api, store]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F10') {
        event.preventDefault();
        toggleLang();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleLang]);

  if (checking) return <div className="hq-loading" aria-busy="true" />;
  if (!session) return <LoginScreen />;
  return <Shell session={session} />;
}

function Shell({ session }: { session: SessionInfo }) {
  const { api, store } = useConsole();
  const tr = useTr();
  const lang = store((s) => s.lang);
  const pages = consolePages.filter((p) => session.permissions.includes(p.permission));
  const [path, setPath] = useState(currentPath);
  const page: ConsolePage | undefined = pages.find((p) => p.path === path) ?? pages[0];

  const go = useCallback(
    (next: ConsolePage) => {
      window.history.pushState(null, '', `${BASE}${next.path}`);
      setPath(next.path);
    },
    [setPath],
  );

  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const index = Number(event.key) - 1;
      const target = Number.isInteger(index) && index >= 0 ? pages[index] : undefined;
      if (target) {
        event.preventDefault();
        go(target);
        document.getElementById('hq-main')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages, go]);

  const logout = async () => {
    try {
      await api.post('/logout');
    } finally {
      store.getState().setSession(null);
    }
  };

  const Page = page?.component;
  return (
    <div className="hq-shell">
      <header className="hq-topbar">
        <span className="hq-brand">算盤 {tr('總部', 'HQ')}</span>
        <span className="hq-merchant">{session.merchant.name}</span>
        <span className="hq-fill" />
        <span className="hq-user" data-testid="hq-user">
          {session.user.name} · {roleName(tr, session.user.role)}
        </span>
        <button type="button" onClick={() => store.getState().toggleLang()} data-testid="hq-language">
          {lang === 'en' ? '中文' : 'EN'} <kbd>F10</kbd>
        </button>
        <button type="button" onClick={() => void logout()} data-testid="hq-logout">
          {tr('登出', 'Log out')}
        </button>
      </header>
      <nav className="hq-nav" aria-label={tr('功能', 'Sections')}>
        <ul>
          {pages.map((p, index) => (
            <li key={p.id}>
              <a
                href={`${BASE}${p.path}`}
                className={p === page ? 'hq-nav-item current' : 'hq-nav-item'}
                aria-current={p === page ? 'page' : undefined}
                data-testid={`nav-${p.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  go(p);
                }}
              >
                <span>{lang === 'en' ? p.title.en : p.title.zh}</span>
                {index < 9 ? <kbd>Alt+{index + 1}</kbd> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="hq-main" id="hq-main" tabIndex={-1} data-testid={page ? `page-${page.id}` : 'page-none'}>
        {Page ? <Page key={page.id} /> : null}
      </main>
    </div>
  );
}
