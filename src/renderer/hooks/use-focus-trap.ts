/**
 * Keeps the keyboard inside a modal: every dialog and the manager PIN pad use it (issue 10).
 * Tab and Shift+Tab cycle through the modal's controls; focus that lands behind it (an element
 * removed, a stray Tab) comes back into it; Enter or Space aimed at a control behind it never
 * reaches that control (with 退貨 open, Enter added 凍檸茶 from a favourite tile); Esc calls
 * `onEscape`. Modals stack: only the topmost one traps, so the PIN pad over 退貨 keeps its keys.
 */
import { useEffect, useRef, type RefObject } from 'react';

const TABBABLE =
  'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** Open modals, the topmost last. */
const stack: HTMLElement[] = [];

function tabbables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0);
}

/** The control Tab (or Shift+Tab) moves to from `current`, wrapping round; the modal itself when it has none. */
export function nextInCycle<T>(items: readonly T[], current: T | null, backwards: boolean): T | null {
  if (items.length === 0) return null;
  const index = current === null ? -1 : items.indexOf(current);
  if (index < 0) return backwards ? items.at(-1)! : items[0]!;
  return items[(index + (backwards ? -1 : 1) + items.length) % items.length]!;
}

/** `active` false: the modal is not shown (a component that renders it only sometimes). Call before the effect that focuses into it. */
export function useFocusTrap(container: RefObject<HTMLElement | null>, onEscape?: () => void, active = true): void {
  const escape = useRef(onEscape);
  useEffect(() => {
    escape.current = onEscape;
  });

  useEffect(() => {
    const modal = container.current;
    if (!active || !modal) return;
    stack.push(modal);
    const onTop = () => stack.at(-1) === modal;
    const inside = (target: EventTarget | null) => target instanceof Node && modal.contains(target);

    const onKeyDown = (event: KeyboardEvent) => {
      if (!onTop() || event.defaultPrevented) return;
      if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.preventDefault();
        const active = document.activeElement instanceof HTMLElement && inside(document.activeElement) ? document.activeElement : null;
        (nextInCycle(tabbables(modal), active, event.shiftKey) ?? modal).focus();
        return;
      }
      if (event.key === 'Escape' && !event.repeat && escape.current) {
        event.preventDefault();
        event.stopPropagation();
        escape.current();
        return;
      }
      // A control behind the modal still holding focus must not be pressed.
      if (
        (event.key === 'Enter' || event.key === ' ') &&
        event.target instanceof HTMLElement &&
        event.target !== document.body &&
        !inside(event.target)
      ) {
        event.preventDefault();
        event.stopPropagation();
        modal.focus();
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      if (onTop() && !inside(event.target)) (tabbables(modal)[0] ?? modal).focus();
    };
    document.addEventListener('keydown', onKeyDown, { capture: true });
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown, { capture: true });
      document.removeEventListener('focusin', onFocusIn);
      stack.splice(stack.indexOf(modal), 1);
    };
  }, [container, active]);
}
