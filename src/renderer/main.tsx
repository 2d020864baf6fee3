/**
 * The renderer's composition root: finds the register, builds the stores and the i18n instance,
 * and mounts the app. Loaded by boot.ts, once the web preload has opened the connection.
 */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { createErrorTone } from './error-tone';
import { asLocale, createI18n } from './i18n/create-i18n';
import { findPosApi } from './pos';
import { ConnectionScreen } from './screens/connection-screen';
import { createPosStores } from './stores/pos-stores';
import { StoresProvider } from './stores/stores-context';
import './styles/base.css';
import './styles/app-shell.css';
import './styles/connection.css';
import './styles/login.css';
import './styles/checkout.css';
import './styles/dialogs.css';
import './styles/members.css';
import './styles/payment.css';
import './styles/back-office.css';
import './styles/sync.css';
import './styles/backup.css';
import './styles/health.css';
import './styles/shifts-reports.css';
import './styles/staff-admin.css';
import './styles/customer-devices.css';
import './styles/printing.css';
import './styles/orders.css';

/** Without a preload, reloading is the only retry: the kiosk host gives a reloaded page its secret. */
const NO_REGISTER_RELOAD_MS = 10_000;

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled by policy; the language choice is just not remembered
  }
}

const i18n = createI18n(localStorageOrNull());
const setDocumentLanguage = (language: string) => {
  document.documentElement.lang = asLocale(language);
};
setDocumentLanguage(i18n.language);
i18n.on('languageChanged', setDocumentLanguage);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

function firstScreen(): ReactNode {
  const api = findPosApi();
  if (!api) {
    const reload = () => window.location.reload();
    setTimeout(reload, NO_REGISTER_RELOAD_MS);
    return <ConnectionScreen phase="no-register" retryAt={performance.now() + NO_REGISTER_RELOAD_MS} onRetry={reload} />;
  }
  const stores = createPosStores(api, { onMiss: createErrorTone() });
  // Started here, not in an effect, so StrictMode's double effects do not subscribe twice.
  stores.register.getState().start();
  // The login screen's names, asked for with the status: one round trip before the pad shows, not two.
  void stores.session.getState().loadStaffList();
  return (
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  );
}

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>{firstScreen()}</I18nextProvider>
  </StrictMode>,
);
