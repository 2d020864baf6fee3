/** The console's state: the language, the session, and the API it was built with. */
import { createContext, useContext } from 'react';
import { create } from 'zustand';
import type { Permission, SessionInfo } from '../hq/contract';
import type { ConsoleApi } from './api';
import { storeLang, trFor, type Lang, type Tr } from './i18n';

export interface ConsoleState {
  lang: Lang;
  session: SessionInfo | null;
  /** true until the first GET /session has answered */
  checking: boolean;
  setLang(lang: Lang): void;
  toggleLang(): void;
  setSession(session: SessionInfo | null): void;
}

export function createConsoleStore(api: ConsoleApi, lang: Lang) {
  return create<ConsoleState>((set, get) => ({
    lang,
    session: null,
    checking: true,
    setLang(next) {
      storeLang(next);
      document.documentElement.lang = next;
      set({ lang: next });
    },
    toggleLang() {
      get().setLang(get().lang === 'en' ? 'zh-HK' : 'en');
    },
    setSession(session) {
      api.setCsrfToken(session?.csrfToken ?? null);
      set({ session, checking: false });
    },
  }));
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

export const ConsoleContext = createContext<{ api: ConsoleApi; store: ConsoleStore } | null>(null);

export function useConsole(): { api: ConsoleApi; store: ConsoleStore } {
  const found = useContext(ConsoleContext);
  if (!found) throw new Error('useConsole outside ConsoleContext');
  return found;
}

export function useTr(): Tr {
  const { store } = useConsole();
  return trFor(store((s) => s.lang));
}

export function useLang(): Lang {
  const { store } = useConsole();
  return store((s) => s.lang);
}

export function useMay(): (permission: Permission) => boolean {
  const { store } = useConsole();
  const permissions = store((s) => s.session?.permissions);
  return (permission) => permissions?.includes(permission) ?? false;
}

export function useSession(): SessionInfo {
  const { store } = useConsole();
  const session = store((s) => s.session);
  if (!session) throw new Error('useSession before login');
  return session;
}
