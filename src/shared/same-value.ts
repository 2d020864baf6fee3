/**
 * Structural equality of plain data (what arrives over the wire: objects, arrays, strings,
 * numbers, booleans, null). Lets a memoised component skip a render when the core sends a fresh
 * copy of something that has not changed, such as every other line of a cart after a scan.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  // Loops, not Object.keys and every(): the core compares every line of a 300-line cart on each
  // scan (src/shared/cart-patch.ts), and the arrays and closures those allocate were most of the
  // garbage the kiosk host collected per scan.
  if (isArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const key in x) {
    if (!hasOwn(x, key)) continue;
    keys++;
    if (!hasOwn(y, key) || !sameValue(x[key], y[key])) return false;
  }
  for (const key in y) if (hasOwn(y, key)) keys--;
  return keys === 0;
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * `next` with every item that is `sameValue` as the item of the same `key` in `previous` replaced
 * by that earlier object, so what did not change keeps its identity (memoised rows and selectors
 * compare by reference). `previous` itself when nothing changed at all.
 */
export function keepUnchanged<T, K>(previous: readonly T[], next: T[], key: (item: T) => K): T[] {
  const before = new Map(previous.map((item) => [key(item), item]));
  let changed = previous.length !== next.length;
  const kept = next.map((item, index) => {
    const old = before.get(key(item));
    const same = old !== undefined && sameValue(old, item);
    if (!same || previous[index] !== old) changed = true;
    return same ? old : item;
  });
  return changed ? kept : (previous as T[]);
}
