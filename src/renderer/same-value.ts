/**
 * Structural equality of plain data (what arrives over the wire: objects, arrays, strings,
 * numbers, booleans, null). Lets a memoised component skip a render when the core sends a fresh
 * copy of something that has not changed, such as every other line of a cart after a scan.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

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
