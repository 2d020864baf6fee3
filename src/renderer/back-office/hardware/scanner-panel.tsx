/**
 * 掃描器: the HID POS scanner's hid://vid:pid, its live link state and the last code it read, so
 * IT can scan something and see it arrive. Keyboard-wedge scanners need nothing here.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreTime } from '../../hooks/use-store-time';
import { createScannerStore } from '../stores/hardware-stores';
import { ForIt } from '../section-parts';
import { useSectionStore } from '../use-section-store';
import { uriFailureDetail, outcomeMessage } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';
import { DevicePanelTitle, UriField } from './device-parts';

export function ScannerPanel() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const scanner = useSectionStore(createScannerStore);
  const { status, watch } = scanner;
  useEffect(() => watch(), [watch]);
  // What IT is typing; until then the field shows what is saved.
  const [draft, setDraft] = useState<string | null>(null);
  const uri = draft ?? status?.config.uri ?? '';
  const message = outcomeMessage(scanner.outcome, t, uriFailureDetail);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await scanner.save(uri)) setDraft(null);
  };

  const last = status?.lastScan ?? null;
  return (
    <form className="device-panel" data-testid="scanner-panel" onSubmit={(event) => void save(event)}>
      <DevicePanelTitle title={t('customerDevices.scanner.title')} state={status?.state ?? null} stateTestId="scanner-state" />
      <UriField
        label={t('customerDevices.scanner.uri')}
        hint={t('customerDevices.scanner.uriHint')}
        testId="scanner-uri"
        value={uri}
        placeholder="hid://05e0:1200"
        onChange={setDraft}
      />
      <div className="dialog-buttons">
        <button type="submit" className="dialog-button is-primary" data-testid="scanner-save">
          {t('customerDevices.scanner.save')}
        </button>
      </div>
      <PanelMessageLine message={message} />
      {status?.error && (
        <p className="device-hint" data-testid="scanner-error">
          <ForIt text={status.error} />
        </p>
      )}
      <h3 className="device-subtitle">{t('customerDevices.scanner.lastScan')}</h3>
      <p className="device-last-scan" data-testid="scanner-last-scan">
        {last ? (
          <>
            <code>{last.code}</code> {last.symbology ?? ''} · {storeTime.dateTime(last.at)}
          </>
        ) : (
          t('customerDevices.scanner.noScan')
        )}
      </p>
    </form>
  );
}
