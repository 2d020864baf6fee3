/** What the device panels (pole display, scanner) share: the title with the live link state, and the device's URI field. */
import { useTranslation } from 'react-i18next';
import type { DisplayStatus } from '../../../shared/customer-display-schemas';

export function DeviceState({ state, testId }: { state: DisplayStatus['state'] | null; testId: string }) {
  const { t } = useTranslation();
  if (state === null) return null;
  return (
    <span className={`device-state is-${state}`} data-testid={testId} data-state={state}>
      {t(`customerDevices.state.${state}`)}
    </span>
  );
}

export function DevicePanelTitle({
  title,
  state,
  stateTestId,
}: {
  title: string;
  state: DisplayStatus['state'] | null;
  stateTestId: string;
}) {
  return (
    <h2 className="device-panel-title">
      {title}
      <DeviceState state={state} testId={stateTestId} />
    </h2>
  );
}

interface UriFieldProps {
  label: string;
  hint: string;
  testId: string;
  value: string;
  placeholder: string;
  onChange: (uri: string) => void;
}

export function UriField({ label, hint, testId, value, placeholder, onChange }: UriFieldProps) {
  return (
    <label className="field is-wide">
      <span>{label}</span>
      <input
        className="field-input"
        data-testid={testId}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
      <small className="device-hint">{hint}</small>
    </label>
  );
}
