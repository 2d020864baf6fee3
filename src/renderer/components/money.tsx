import { formatHKD, type Cents } from '../../shared/money';
import { useLocale } from '../hooks/use-locale';

/** An amount as the counter prints it (`HK$1,234.50`, `-HK$9.00`): tabular figures, never wrapped. */
export function Money({ cents, className, testId }: { cents: Cents; className?: string; testId?: string }) {
  const { locale } = useLocale();
  return (
    <span className={className ? `money ${className}` : 'money'} data-testid={testId} data-cents={cents}>
      {formatHKD(cents, locale)}
    </span>
  );
}

/** A saving shown as a deduction: always with a minus, whatever sign main uses for it. */
export function Deduction({ cents, className, testId }: { cents: Cents; className?: string; testId?: string }) {
  return (
    <Money cents={-Math.abs(cents)} className={className ? `is-deduction ${className}` : 'is-deduction'} {...(testId ? { testId } : {})} />
  );
}
