/**
 * The controls the console's pages share: a labelled select over a list of choices, the search box
 * that searches when typing pauses, previous/next paging, a row of tabs, and rows picked by click or
 * keyboard. One shape each, so a page's filter or pager looks and answers keys like every other's.
 */
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { StoreItem } from '../hq/contract';
import { useTr } from './console-store';
import type { Lang } from './i18n';

/** One option of a select: its value, what it shows, and whether it is offered but not pickable. */
export type Choice<T extends string = string> = readonly [value: T, label: ReactNode, disabled?: boolean];

/** The merchant's stores as choices by id: `CODE name` with the name in `names`' language, or the code alone. */
export function storeChoices(stores: readonly StoreItem[], names: Lang | 'code'): Choice[] {
  return stores.map((s) => [String(s.id), names === 'code' ? s.code : `${s.code} ${names === 'en' ? s.nameEn : s.nameZh}`]);
}

/**
 * A `<select>` inside its label. `blank` is a first option with the value '' (所有分店, 全部, —);
 * `hideLabel` keeps the label for screen readers only; `children` follow the select inside the
 * label (a field's error).
 */
export function SelectField<T extends string>({
  label,
  value,
  onChange,
  choices,
  blank,
  hideLabel = false,
  invalid,
  className,
  testId,
  children,
}: {
  label: ReactNode;
  value: T;
  onChange(value: NoInfer<T>): void;
  choices: readonly Choice<T>[];
  blank?: ReactNode;
  hideLabel?: boolean;
  invalid?: boolean;
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <label className={className}>
      {hideLabel ? <span className="visually-hidden">{label}</span> : label}
      {/* the options are `choices` and `blank` (''), so the value read back is one of T */}
      <select value={value} onChange={(e) => onChange(e.target.value as T)} aria-invalid={invalid} data-testid={testId}>
        {blank === undefined ? null : <option value="">{blank}</option>}
        {choices.map(([id, name, disabled]) => (
          <option key={id} value={id} disabled={disabled}>
            {name}
          </option>
        ))}
      </select>
      {children}
    </label>
  );
}

/**
 * A search box's text, the query it settled on (trimmed, a moment after typing stops: one request
 * per pause, not per key) and the list's offset, back at 0 whenever the query settles.
 */
export function useSearch(): {
  text: string;
  setText(text: string): void;
  query: string;
  offset: number;
  setOffset(offset: number): void;
} {
  const [text, setText] = useState('');
  const [settled, setSettled] = useState({ query: '', offset: 0 });
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled({ query: text.trim(), offset: 0 }), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  return {
    text,
    setText,
    query: settled.query,
    offset: settled.offset,
    setOffset: (offset: number) => setSettled((s) => ({ ...s, offset })),
  };
}

/** The search field at the top of a list; it takes the keyboard when the page opens. */
export function SearchBox({
  label,
  value,
  onChange,
  placeholder,
  className,
  testId,
}: {
  label: string;
  value: string;
  onChange(text: string): void;
  placeholder: string;
  className?: string;
  testId: string;
}) {
  return (
    <label className={className === undefined ? 'hq-search' : `hq-search ${className}`}>
      <span className="visually-hidden">{label}</span>
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoFocus
        data-testid={testId}
      />
    </label>
  );
}

/**
 * 上一頁 / 下一頁 with where the list is (`status`, the page's own words). `between` puts the status
 * between the buttons; `apart` puts it on the left and the buttons together on the right.
 */
export function Pager({
  status,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  layout = 'between',
  testId,
  rowTestId,
}: {
  status: ReactNode;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  layout?: 'between' | 'apart';
  /** the buttons are `${testId}-prev` and `${testId}-next` */
  testId: string;
  rowTestId?: string;
}) {
  const tr = useTr();
  const previous = (
    <button type="button" disabled={!hasPrevious} onClick={onPrevious} data-testid={`${testId}-prev`}>
      {tr('上一頁', 'Previous')}
    </button>
  );
  const next = (
    <button type="button" disabled={!hasNext} onClick={onNext} data-testid={`${testId}-next`}>
      {tr('下一頁', 'Next')}
    </button>
  );
  return layout === 'apart' ? (
    <div className="hq-row spread" data-testid={rowTestId}>
      {status}
      <span className="hq-row">
        {previous}
        {next}
      </span>
    </div>
  ) : (
    <div className="hq-row" data-testid={rowTestId}>
      {previous}
      {status}
      {next}
    </div>
  );
}

/** A row of tabs (role tablist); each tab's test id is `${testId}-${id}`. */
export function TabRow<T extends string>({
  label,
  tabs,
  current,
  onPick,
  testId,
}: {
  label: string;
  tabs: readonly (readonly [id: T, name: ReactNode])[];
  current: T;
  onPick(id: NoInfer<T>): void;
  testId: string;
}) {
  return (
    <div className="hq-tabs" role="tablist" aria-label={label}>
      {tabs.map(([id, name]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={id === current}
          className={id === current ? 'current' : undefined}
          onClick={() => onPick(id)}
          data-testid={`${testId}-${id}`}
        >
          {name}
        </button>
      ))}
    </div>
  );
}

/** What a table row of a pick list needs: it takes focus, and a click, Enter or Space picks it. */
export function pickRow(onPick: () => void): {
  tabIndex: number;
  onClick(): void;
  onKeyDown(event: KeyboardEvent<HTMLElement>): void;
} {
  return {
    tabIndex: 0,
    onClick: onPick,
    onKeyDown: (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onPick();
      }
    },
  };
}
