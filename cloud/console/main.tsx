/** The head office console's composition root: the API, the store, and the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createConsoleApi } from './api';
import { App } from './app';
import { ConsoleContext, createConsoleStore } from './console-store';
import { storedLang } from './i18n';
import './console.css';

const api = createConsoleApi();
const store = createConsoleStore(api, storedLang());
document.documentElement.lang = store.getState().lang;
api.onSessionLost(() => store.getState().setSession(null));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <ConsoleContext.Provider value={{ api, store }}>
      <App />
    </ConsoleContext.Provider>
  </StrictMode>,
);
