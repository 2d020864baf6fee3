/** A two-column report table: what (with how many, when it counts) on the left, the amount right-aligned. */
import type { ReactNode } from 'react';
import type { Cents } from '../../shared/money';
import { Money } from '../components/money';

export interface MoneyRow {
  key: string | number;
  label: ReactNode;
  cents: Cents;
  /** How many (payments, documents): shown small after the label as ×n. */
  count?: number;
  strong?: boolean;
  testId?: string;
  /** The test id of the amount itself. */
  moneyTestId?: string;
}

export function MoneyTable({ rows, testId }: { rows: readonly MoneyRow[]; testId?: string }) {
  return (
    <table className="admin-table report-table" data-testid={testId}>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.strong ? 'is-strong' : undefined} data-testid={row.testId}>
            <th scope="row">
              {row.label}
              {row.count !== undefined && (
                <>
                  {' '}
                  <span className="report-sub">×{row.count}</span>
                </>
              )}
            </th>
            <td className="num">
              <Money cents={row.cents} {...(row.moneyTestId ? { testId: row.moneyTestId } : {})} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
