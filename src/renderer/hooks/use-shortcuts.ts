import { resolveShortcut, type Screen, type ShortcutId } from '../shortcuts';
import { useKeyHandler } from './use-key-handler';

export type ShortcutHandlers = Partial<Record<ShortcutId, () => void>>;

/** Runs the handler for the shortcut table's row matching a key on this screen. */
export function useShortcuts(screen: Screen, handlers: ShortcutHandlers): void {
  useKeyHandler((press) => {
    const id = resolveShortcut(screen, press);
    const handler = id ? handlers[id] : undefined;
    if (!handler) return false;
    handler();
    return true;
  });
}
