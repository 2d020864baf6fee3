/**
 * The customer screen's entry (customer.html): a second window facing the customer that shows
 * the cart in Chinese and English, the total, the change and a payment QR. It needs no login and
 * its connection may read the customer view only; it renders what main pushes.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findPosApi } from '../pos';
import { CustomerScreen } from './customer-screen';
import { createCustomerViewStore } from './customer-view-store';
import '../styles/base.css';
import '../styles/customer-screen.css';

const RETRY_MS = 5000;

const container = document.getElementById('root');
if (!container) throw new Error('customer.html has no #root element');

const api = findPosApi();
if (!api) {
  // Opened without the register (a static preview): the host's reload hands the page its secret.
  setTimeout(() => window.location.reload(), RETRY_MS);
} else {
  const store = createCustomerViewStore(api);
  store.getState().start();
  createRoot(container).render(
    <StrictMode>
      <CustomerScreen store={store} />
    </StrictMode>,
  );
}
