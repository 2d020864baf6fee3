/**
 * The pieces the back-office sections share: the title and hint they start with, the line where
 * main's refusal shows, the column titles and button cell of their tables, and the labelled inputs
 * and buttons of their forms.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

export function SectionHeader({ title, hint }: { title: ReactNode; hint?: ReactNode }) {
  return (
    <>
      <h2 className="panel-title">{title}</h2>
      {hint && <p className="section-hint">{hint}</p>}
    </>
  );
}

/**
 * English technical words behind a refusal or a failure (a server's answer, an exception's or a
 * device's message), kept for IT on a line of their own under a label in the reader's language;
 * never shown as what happened, which the reader's own words say. Nothing when there are none.
 */
export function ForIt({ text, label, testId }: { text: string | null | undefined; label?: string; testId?: string }) {
  const { t } = useTranslation();
  if (!text) return null;
  return (
    <span className="for-it" data-testid={testId}>
      {label ?? t('backOffice.forIt')}
      <span lang="en">{text}</span>
    </span>
  );
}

/** Main's refusal in words; nothing when there is none. */
export function ErrorLine({ children, testId }: { children: ReactNode; testId?: string }) {
  if (!children) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {children}
    </p>
  );
}

/** A column title: words, or words with a class (`num` / `is-number` to right-align); '' for the buttons column. */
export type Column = string | { text: string; className: string };

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => {
          const { text, className } = typeof column === 'string' ? { text: column, className: undefined } : column;
          return (
            <th key={index} className={className}>
              {text || null}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** An input in an .admin-form or .admin-filters row, its words above it. */
export function AdminInput({ label, ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} />
    </label>
  );
}

/** A select in an .admin-form or .admin-filters row, its words above it; the options are the children. */
export function AdminSelect({
  label,
  children,
  ...select
}: { label: ReactNode; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <label>
      {label}
      <select {...select}>{children}</select>
    </label>
  );
}

/** The buttons at the end of a table row. */
export function ActionsCell({ children }: { children: ReactNode }) {
  return (
    <td>
      <div className="admin-actions">{children}</div>
    </td>
  );
}

interface FormActionsProps {
  saveLabel: ReactNode;
  saveTestId: string;
  busy?: boolean;
  /** Shown only while editing: backs out of the edit. */
  cancel?: { label: ReactNode; onCancel: () => void } | null;
}

/** The foot of an .admin-form: Cancel while editing, and the submit button. */
export function FormActions({ saveLabel, saveTestId, busy = false, cancel = null }: FormActionsProps) {
  return (
    <div className="admin-form-actions">
      {cancel && (
        <button type="button" className="admin-button" onClick={cancel.onCancel}>
          {cancel.label}
        </button>
      )}
      <button type="submit" className="admin-button is-primary" disabled={busy} data-testid={saveTestId}>
        {saveLabel}
      </button>
    </div>
  );
}
