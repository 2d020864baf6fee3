/**
 * What the customer reads on the second monitor: every line in Chinese and English with its
 * amount, the total in large type, the change after a cash sale, and the shop's payment QR (e.g.
 * FPS) while there is something to pay. Both languages at once: the customer did not choose one.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { CustomerView } from '../../shared/customer-display-schemas';
import { formatHKD } from '../../shared/money';
import { formatQuantity } from '../checkout/number-input';
import { zhHK } from '../i18n/zh-HK';
import type { CustomerViewState } from './customer-view-store';

const words = zhHK.customerView;

export function CustomerScreen({ store }: { store: StoreApi<CustomerViewState> }) {
  const view = useStore(store, (s) => s.view);
  if (view === null) return <main className="customer-screen" data-testid="customer-screen" data-phase="loading" />;
  return (
    <main className="customer-screen" data-testid="customer-screen" data-phase={view.phase}>
      <header className="customer-store">
        <span className="customer-store-zh">{view.store.nameZh}</span>
        <span className="customer-store-en">{view.store.nameEn}</span>
      </header>
      {view.phase === 'idle' ? <Welcome /> : <CartAndTotal view={view} />}
    </main>
  );
}

function Welcome() {
  return (
    <section className="customer-welcome" data-testid="customer-welcome">
      <p className="customer-welcome-zh">{words.welcome}</p>
      <p className="customer-welcome-en">{words.welcomeEn}</p>
    </section>
  );
}

function CartAndTotal({ view }: { view: CustomerView }) {
  const showQr = view.paymentQr !== null && view.phase !== 'done' && view.total > 0 && view.fpsQr === null;
  return (
    <div className="customer-body">
      <table className="customer-lines" data-testid="customer-lines">
        <thead>
          <tr>
            <th scope="col">{words.item}</th>
            <th scope="col" className="is-number">
              {words.quantity}
            </th>
            <th scope="col" className="is-number">
              {words.amount}
            </th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => (
            <tr key={line.id} data-testid="customer-line">
              <td>
                <span className="customer-line-zh">{line.nameZh}</span>
                <span className="customer-line-en">{line.nameEn}</span>
              </td>
              <td className="is-number">
                {formatQuantity(line.quantity)} × {formatHKD(line.unitPrice, 'en')}
              </td>
              <td className="is-number customer-line-amount">{formatHKD(line.amount, 'en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <aside className="customer-summary">
        <p className="customer-total">
          <span>{words.total}</span>
          <strong data-testid="customer-total">{formatHKD(view.total, 'en')}</strong>
        </p>
        {view.phase === 'done' && view.change > 0 && (
          <p className="customer-change">
            <span>{words.change}</span>
            <strong data-testid="customer-change">{formatHKD(view.change, 'en')}</strong>
          </p>
        )}
        {view.phase === 'done' && <p className="customer-thanks">{words.thanks}</p>}
        {view.fpsQr !== null && view.phase === 'payment' && (
          <PaymentQr payload={view.fpsQr.payload} testId="customer-fps-qr" size={300}>
            <span className="customer-fps-title">{words.fpsTitle}</span>
            <strong className="customer-fps-amount" data-testid="customer-fps-amount">
              {formatHKD(view.fpsQr.amount, 'en')}
            </strong>
            {view.fpsQr.billNumber !== '' && (
              <span className="customer-fps-bill">
                {words.fpsBill} {view.fpsQr.billNumber}
              </span>
            )}
          </PaymentQr>
        )}
        {showQr && view.paymentQr !== null && (
          <PaymentQr payload={view.paymentQr} testId="customer-qr" size={220}>
            {words.scanToPay}
          </PaymentQr>
        )}
      </aside>
    </div>
  );
}

/**
 * A payment QR (the static one set up on the hardware screen, or the FPS QR for the amount due),
 * drawn as SVG in the page (no network, no inline script: CSP allows data: images). bwip-js is
 * large, so it loads only when a QR is shown.
 */
function PaymentQr({ payload, testId, size, children }: { payload: string; testId: string; size: number; children: ReactNode }) {
  const [drawn, setDrawn] = useState<{ payload: string; src: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    void import('bwip-js/browser').then(({ toSVG }) => {
      let src: string | null = null;
      try {
        src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(toSVG({ bcid: 'qrcode', text: payload, scale: 4, paddingwidth: 4, paddingheight: 4 }))}`;
      } catch {
        // a payload bwip-js cannot encode shows no QR rather than a broken screen
      }
      if (current) setDrawn({ payload, src });
    });
    return () => {
      current = false;
    };
  }, [payload]);
  const src = drawn?.payload === payload ? drawn.src : null;
  if (src === null) return null;
  return (
    <figure className="customer-qr" data-testid={testId} data-payload={payload}>
      <img src={src} alt="QR" width={size} height={size} />
      <figcaption>{children}</figcaption>
    </figure>
  );
}
