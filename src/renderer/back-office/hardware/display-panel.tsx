/**
 * 客戶顯示屏: the pole display's port URI and command set, its idle message, a test message, and
 * what the display is meant to show right now with its live link state. Below it, the customer
 * screen's payment QR. Main checks `settings.edit` on every channel used here.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DisplayCommandSetName, type CustomerDisplayConfig, type DisplayStatus } from '../../../shared/customer-display-schemas';
import type { FpsPayee } from '../../../shared/fps-qr';
import { createCustomerScreenStore, createDisplayStore, type DisplayForm } from '../stores/hardware-stores';
import { ForIt } from '../section-parts';
import { useSectionStore } from '../use-section-store';
import { uriFailureDetail, outcomeMessage } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';
import { DevicePanelTitle, UriField } from './device-parts';

export function DisplayPanel() {
  const { t } = useTranslation();
  const display = useSectionStore(createDisplayStore);
  const { status, readError, watch } = display;
  useEffect(() => watch(), [watch]);
  // What IT is typing; until then the form shows what is saved.
  const [draft, setDraft] = useState<DisplayForm | null>(null);
  const form: DisplayForm = draft ?? {
    uri: status?.config.uri ?? '',
    profile: status?.config.profile ?? 'epson',
    idleMessage: status?.config.idleMessage ?? 'WELCOME',
  };
  const edit = (change: Partial<DisplayForm>) => setDraft({ ...form, ...change });
  const [line1, setLine1] = useState('SUANPAN TEST 1234567');
  const [line2, setLine2] = useState('HK$12,345.50');
  const message = outcomeMessage(display.outcome, t, uriFailureDetail);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await display.save(form)) setDraft(null);
  };

  return (
    <div className="device-panels">
      <form className="device-panel" data-testid="display-panel" onSubmit={(event) => void save(event)}>
        <DevicePanelTitle title={t('customerDevices.display.title')} state={status?.state ?? null} stateTestId="display-state" />
        <UriField
          label={t('customerDevices.display.uri')}
          hint={t('customerDevices.display.uriHint')}
          testId="display-uri"
          value={form.uri}
          placeholder="serial:///dev/ttyUSB1?baud=9600"
          onChange={(uri) => edit({ uri })}
        />
        <div className="device-row">
          <label className="field">
            <span>{t('customerDevices.display.profile')}</span>
            <select
              className="field-input"
              data-testid="display-profile"
              value={form.profile}
              onChange={(e) => edit({ profile: DisplayCommandSetName.parse(e.target.value) })}
            >
              {DisplayCommandSetName.options.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label className="field is-wide">
            <span>{t('customerDevices.display.idleMessage')}</span>
            <input
              className="field-input"
              data-testid="display-idle"
              maxLength={40}
              value={form.idleMessage}
              onChange={(e) => edit({ idleMessage: e.target.value })}
            />
          </label>
        </div>
        <div className="dialog-buttons">
          <button type="submit" className="dialog-button is-primary" data-testid="display-save">
            {t('customerDevices.display.save')}
          </button>
        </div>
        <PanelMessageLine message={message} testId="display-message" />
        {readError && <p className="field-error">{t(`errors.${readError.code}`)}</p>}
        {status?.error && (
          <p className="device-hint" data-testid="display-error">
            <ForIt text={status.error} />
          </p>
        )}
        <h3 className="device-subtitle">{t('customerDevices.display.screen')}</h3>
        <PoleScreen status={status} />
        <div className="device-row">
          <label className="field is-wide">
            <span>{t('customerDevices.display.testLine1')}</span>
            <input
              className="field-input"
              data-testid="display-test-line1"
              maxLength={40}
              value={line1}
              onChange={(e) => setLine1(e.target.value)}
            />
          </label>
          <label className="field is-wide">
            <span>{t('customerDevices.display.testLine2')}</span>
            <input
              className="field-input"
              data-testid="display-test-line2"
              maxLength={40}
              value={line2}
              onChange={(e) => setLine2(e.target.value)}
            />
          </label>
        </div>
        <div className="dialog-buttons">
          <button type="button" className="dialog-button" data-testid="display-test" onClick={() => void display.test(line1, line2)}>
            {t('customerDevices.display.test')}
          </button>
        </div>
      </form>
      <CustomerScreenForm />
    </div>
  );
}

/** The 2×20 screen as the customer sees it: green on black, fixed columns. */
function PoleScreen({ status }: { status: DisplayStatus | null }) {
  const lines = status?.lines ?? [' '.repeat(20), ' '.repeat(20)];
  return (
    <pre className="pole-screen" data-testid="display-screen" aria-label="2×20">
      {`${lines[0]}\n${lines[1]}`}
    </pre>
  );
}

type FpsProxyChoice = 'none' | FpsPayee['proxyType'];

interface FpsForm {
  proxyType: FpsProxyChoice;
  proxy: string;
  bankCode: string;
  merchantName: string;
}

const noFps: FpsForm = { proxyType: 'none', proxy: '', bankCode: '', merchantName: '' };

interface CustomerScreenForm {
  paymentQr: string;
  fps: FpsForm;
}

/** The form as the saved settings fill it. */
function customerFormOf(settings: CustomerDisplayConfig | null): CustomerScreenForm {
  const saved = settings?.fps ?? null;
  return {
    paymentQr: settings?.paymentQr ?? '',
    fps: saved
      ? { proxyType: saved.proxyType, proxy: saved.proxy, bankCode: saved.bankCode ?? '', merchantName: saved.merchantName }
      : noFps,
  };
}

function CustomerScreenForm() {
  const { t } = useTranslation();
  const screen = useSectionStore(createCustomerScreenStore);
  // What IT is typing; until then the form shows what is saved.
  const [draft, setDraft] = useState<CustomerScreenForm | null>(null);
  const { paymentQr, fps } = draft ?? customerFormOf(screen.settings);
  const setPaymentQr = (next: string) => setDraft({ paymentQr: next, fps });
  const editFps = (change: Partial<FpsForm>) => setDraft({ paymentQr, fps: { ...fps, ...change } });
  const message = outcomeMessage(screen.outcome, t, uriFailureDetail);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await screen.save({
      paymentQr: paymentQr.trim() === '' ? null : paymentQr.trim(),
      fps:
        fps.proxyType === 'none'
          ? null
          : {
              proxyType: fps.proxyType,
              proxy: fps.proxy,
              bankCode: fps.bankCode.trim() === '' ? null : fps.bankCode,
              merchantName: fps.merchantName,
            },
    });
    if (saved) setDraft(null);
  };

  return (
    <form className="device-panel" data-testid="customer-screen-panel" onSubmit={(event) => void save(event)}>
      <h2 className="device-panel-title">{t('customerDevices.customerScreen.title')}</h2>
      <label className="field is-wide">
        <span>{t('customerDevices.customerScreen.paymentQr')}</span>
        <input
          className="field-input"
          data-testid="customer-qr"
          maxLength={512}
          value={paymentQr}
          onChange={(e) => setPaymentQr(e.target.value)}
        />
        <small className="device-hint">{t('customerDevices.customerScreen.paymentQrHint')}</small>
      </label>
      <div className="device-row">
        <label className="field">
          <span>{t('customerDevices.customerScreen.fpsType')}</span>
          <select
            className="field-input"
            data-testid="customer-fps-type"
            value={fps.proxyType}
            onChange={(e) => editFps({ proxyType: e.target.value as FpsProxyChoice })}
          >
            {(['none', 'fps-id', 'mobile', 'email'] as const).map((choice) => (
              <option key={choice} value={choice}>
                {t(`customerDevices.customerScreen.fpsTypes.${choice}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('customerDevices.customerScreen.fpsProxy')}</span>
          <input
            className="field-input"
            data-testid="customer-fps-proxy"
            maxLength={64}
            disabled={fps.proxyType === 'none'}
            value={fps.proxy}
            onChange={(e) => editFps({ proxy: e.target.value })}
          />
        </label>
      </div>
      <div className="device-row">
        <label className="field">
          <span>{t('customerDevices.customerScreen.fpsBank')}</span>
          <input
            className="field-input"
            data-testid="customer-fps-bank"
            inputMode="numeric"
            maxLength={3}
            disabled={fps.proxyType === 'none'}
            value={fps.bankCode}
            onChange={(e) => editFps({ bankCode: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('customerDevices.customerScreen.fpsName')}</span>
          <input
            className="field-input"
            data-testid="customer-fps-name"
            maxLength={25}
            disabled={fps.proxyType === 'none'}
            value={fps.merchantName}
            onChange={(e) => editFps({ merchantName: e.target.value })}
          />
        </label>
      </div>
      <small className="device-hint">{t('customerDevices.customerScreen.fpsHint')}</small>
      <div className="dialog-buttons">
        <button type="submit" className="dialog-button is-primary" data-testid="customer-qr-save">
          {t('customerDevices.customerScreen.save')}
        </button>
        <a className="dialog-button" href="/customer.html" target="_blank" rel="noopener" data-testid="customer-screen-open">
          {t('customerDevices.customerScreen.open')}
        </a>
      </div>
      <PanelMessageLine message={message} />
    </form>
  );
}
