import { useTranslation } from 'react-i18next';
import { runCommand, type CheckoutCommand } from '../checkout/commands';
import { Dialog } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { shortcutLabel, type ShortcutId } from '../shortcuts';
import { useCart, usePosStores } from '../stores/stores-context';

const ITEMS: {
  command: CheckoutCommand;
  shortcut: ShortcutId;
  label: 'action.quantity' | 'action.discount' | 'action.price' | 'action.removeLine';
}[] = [
  { command: 'quantity', shortcut: 'quantity', label: 'action.quantity' },
  { command: 'discount', shortcut: 'discount', label: 'action.discount' },
  { command: 'price', shortcut: 'price', label: 'action.price' },
  { command: 'remove-line', shortcut: 'remove-line', label: 'action.removeLine' },
];

/** A tap on the highlighted line: what can be done to it, each with its key. */
export function LineMenuDialog({ lineId }: { lineId: number }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const stores = usePosStores();
  const line = useCart((s) => s.cart?.lines.find((l) => l.id === lineId) ?? null);
  const close = () => stores.ui.getState().close();
  if (!line) return null;
  const isReturn = line.returnOf !== null || line.quantity < 0;

  const run = (command: CheckoutCommand) => {
    stores.cart.getState().selectLine(lineId);
    close();
    runCommand(stores, command);
  };

  return (
    <Dialog title={localName(line, locale)} testId="dialog-line-menu" onClose={close} size="small">
      <p className="dialog-subject">
        <Money cents={line.net} />
      </p>
      <div className="menu-list">
        {ITEMS.map((item) => (
          <button
            key={item.command}
            type="button"
            className={item.command === 'remove-line' ? 'menu-item is-danger' : 'menu-item'}
            data-testid={`line-menu-${item.command}`}
            disabled={isReturn && item.command !== 'remove-line'}
            onMouseDown={keepFocus}
            onClick={() => run(item.command)}
          >
            <kbd className="action-key">{shortcutLabel(item.shortcut)}</kbd>
            <span>{t(item.label)}</span>
          </button>
        ))}
      </div>
    </Dialog>
  );
}
