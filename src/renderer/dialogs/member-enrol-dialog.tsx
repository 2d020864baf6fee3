import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { useErrorText } from '../hooks/use-error-text';
import { useMember, usePosStores } from '../stores/stores-context';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * 登記新會員, online or offline: name, mobile phone, optional email and birth month, and the
 * customer's explicit answer to the direct-marketing question (PDPO), shown in full with no default.
 * Main records the answer with its time and the wording's version; there is no HKID field anywhere.
 * Offline, the member gets a provisional code at once and goes onto the sale.
 */
export function MemberEnrolDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { member, ui } = usePosStores();
  const draft = useMember((s) => s.draft);
  const problem = useMember((s) => s.enrolProblem);
  const failure = useMember((s) => s.failure);
  const enrolling = useMember((s) => s.enrolling);
  const back = () => ui.getState().open({ kind: 'member' });
  const close = () => ui.getState().close();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await member.getState().enrol();
    if (outcome.ok) ui.getState().close();
  };

  const message = problem
    ? t(`member.enrolProblem.${problem}`)
    : failure?.code === 'CONFLICT'
      ? t('member.enrolProblem.PHONE_TAKEN')
      : errorText(failure);

  return (
    <Dialog title={t('member.enrolTitle')} testId="dialog-member-enrol" onClose={close} size="large">
      <form className="dialog-form member-enrol" onSubmit={(e) => void submit(e)}>
        <div className="member-enrol-fields">
          <label className="field">
            <span className="field-label">{t('member.name')}</span>
            <input
              className="field-input"
              data-testid="enrol-name"
              type="text"
              autoComplete="off"
              maxLength={100}
              autoFocus
              value={draft.name}
              onChange={(e) => member.getState().setDraft({ name: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('member.phone')}</span>
            <input
              className="field-input is-number"
              data-testid="enrol-phone"
              type="tel"
              inputMode="numeric"
              autoComplete="off"
              maxLength={16}
              value={draft.phone}
              onChange={(e) => member.getState().setDraft({ phone: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('member.email')}</span>
            <input
              className="field-input"
              data-testid="enrol-email"
              type="email"
              autoComplete="off"
              maxLength={254}
              value={draft.email}
              onChange={(e) => member.getState().setDraft({ email: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('member.birthMonth')}</span>
            <select
              className="field-input"
              data-testid="enrol-birth-month"
              value={draft.birthMonth}
              onChange={(e) => member.getState().setDraft({ birthMonth: e.target.value })}
            >
              <option value="">{t('member.noMonth')}</option>
              {MONTHS.map((m) => (
                <option key={m} value={String(m)}>
                  {t('member.month', { month: m })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="member-consent">
          <legend className="field-label">{t('member.consentQuestion')}</legend>
          <p className="member-consent-wording" data-testid="enrol-consent-wording">
            {t('member.consentWording')}
          </p>
          <div className="segmented" role="radiogroup" aria-label={t('member.consentQuestion')}>
            {([true, false] as const).map((answer) => (
              <button
                key={String(answer)}
                type="button"
                role="radio"
                aria-checked={draft.marketingConsent === answer}
                className={draft.marketingConsent === answer ? 'segment is-selected' : 'segment'}
                data-testid={answer ? 'enrol-consent-yes' : 'enrol-consent-no'}
                onMouseDown={keepFocus}
                onClick={() => member.getState().setDraft({ marketingConsent: answer })}
              >
                {answer ? t('member.consentYes') : t('member.consentNo')}
              </button>
            ))}
          </div>
        </fieldset>
        <p className="field-hint">{t('member.privacyNote')}</p>
        <FieldMessage testId="enrol-problem">{message}</FieldMessage>
        <DialogButtons onCancel={back} busy={enrolling} okLabel={enrolling ? t('member.enrolling') : t('member.enrolOk')} />
      </form>
    </Dialog>
  );
}
