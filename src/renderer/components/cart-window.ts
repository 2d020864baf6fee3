/**
 * Which cart rows are in the DOM. A long basket (a grocery shop's 300 lines) keeps only the rows
 * around the visible part of the list, so a scan costs the browser the same at 300 lines as at 30:
 * layout, paint and hit testing walk a few dozen rows, not every one. The rows left out are stood
 * in for by a spacer above and one below, sized from each row's measured height (or the mean of
 * the measured ones until a row has been on screen), so the scroll bar and position stay true.
 *
 * Pure arithmetic: the cart panel measures and scrolls; this decides.
 */

/** Carts up to this many lines render every row (the whole of a normal sale, find-in-page works). */
export const RENDER_ALL_UP_TO = 60;
/** Rows kept beyond each edge of the visible part, so a short scroll never shows a gap. */
export const OVERSCAN_ROWS = 10;
/** A row's height before any row has been measured (one line of name and one of detail). */
export const FIRST_ESTIMATE_PX = 64;

export interface RowRange {
  /** The first row in the DOM. */
  start: number;
  /** One past the last row in the DOM. */
  end: number;
}

/** `offsets[i]` is row i's top; `offsets[n]` the list's whole height. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = [0];
  let y = 0;
  for (const height of heights) offsets.push((y += height));
  return offsets;
}

/** Row `i`'s top (`i` = the row count: the list's height). */
export const offsetOf = (offsets: readonly number[], i: number): number => offsets[Math.min(Math.max(i, 0), offsets.length - 1)] ?? 0;

/** The first row whose bottom is below `y` (binary search over the offsets). */
function rowAt(offsets: readonly number[], y: number): number {
  const rows = offsets.length - 1;
  let low = 0;
  let high = rows;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsetOf(offsets, mid + 1) <= y) low = mid + 1;
    else high = mid;
  }
  return Math.min(low, Math.max(rows - 1, 0));
}

/** The rows to render for a viewport of `viewport` px scrolled to `top`. */
export function visibleRange(offsets: readonly number[], top: number, viewport: number): RowRange {
  const rows = offsets.length - 1;
  if (rows <= RENDER_ALL_UP_TO) return { start: 0, end: rows };
  const first = rowAt(offsets, Math.max(0, top));
  const last = rowAt(offsets, Math.max(0, top + Math.max(viewport, 1) - 1));
  return { start: Math.max(0, first - OVERSCAN_ROWS), end: Math.min(rows, last + 1 + OVERSCAN_ROWS) };
}

/** The scroll position that brings row `index` fully into view moving as little as possible (`block: 'nearest'`). */
export function scrollToShow(offsets: readonly number[], index: number, top: number, viewport: number): number {
  const rows = offsets.length - 1;
  if (index < 0 || index >= rows) return top;
  const rowTop = offsetOf(offsets, index);
  const rowBottom = offsetOf(offsets, index + 1);
  const maxTop = Math.max(0, offsetOf(offsets, rows) - viewport);
  let next = top;
  if (rowBottom > top + viewport) next = rowBottom - viewport;
  if (rowTop < next) next = rowTop;
  return Math.min(Math.max(0, next), maxTop);
}

/** Each row's height: measured where it has been on screen, else the mean of the measured ones. */
export function rowHeights(ids: readonly number[], measured: ReadonlyMap<number, number>): number[] {
  let sum = 0;
  for (const height of measured.values()) sum += height;
  const estimate = measured.size > 0 ? sum / measured.size : FIRST_ESTIMATE_PX;
  return ids.map((id) => measured.get(id) ?? estimate);
}
