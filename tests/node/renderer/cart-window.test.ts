import { describe, expect, it } from 'vitest';
import {
  FIRST_ESTIMATE_PX,
  OVERSCAN_ROWS,
  RENDER_ALL_UP_TO,
  offsetOf,
  rowHeights,
  rowOffsets,
  scrollToShow,
  visibleRange,
} from '../../../src/renderer/components/cart-window';

const even = (rows: number, height = 60): number[] => rowOffsets(new Array<number>(rows).fill(height));

describe('the cart window', () => {
  it('sums row heights into offsets, the last one the list height', () => {
    expect(rowOffsets([60, 80, 60])).toEqual([0, 60, 140, 200]);
    expect(rowOffsets([])).toEqual([0]);
    expect(offsetOf([0, 60, 140], 9)).toBe(140);
    expect(offsetOf([0, 60, 140], -1)).toBe(0);
  });

  it('renders every row of a normal sale', () => {
    expect(visibleRange(even(RENDER_ALL_UP_TO), 900, 400)).toEqual({ start: 0, end: RENDER_ALL_UP_TO });
    expect(visibleRange(even(0), 0, 400)).toEqual({ start: 0, end: 0 });
  });

  it('renders the visible rows of a long cart and the overscan each side', () => {
    // 300 rows of 60 px, a 400 px viewport scrolled to 6000: rows 100..106 show.
    expect(visibleRange(even(300), 6000, 400)).toEqual({ start: 100 - OVERSCAN_ROWS, end: 107 + OVERSCAN_ROWS });
    // At the top and at the bottom the range stops at the list's ends.
    expect(visibleRange(even(300), 0, 400)).toEqual({ start: 0, end: 7 + OVERSCAN_ROWS });
    expect(visibleRange(even(300), 300 * 60 - 400, 400)).toEqual({ start: 293 - OVERSCAN_ROWS, end: 300 });
  });

  it('finds the rows under a viewport of uneven heights', () => {
    const heights = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 90 : 60));
    const offsets = rowOffsets(heights);
    const top = offsetOf(offsets, 150) + 10; // inside row 150
    const range = visibleRange(offsets, top, 200);
    expect(range.start).toBe(150 - OVERSCAN_ROWS);
    // The last row to show is the one under the viewport's bottom edge.
    let last = 150;
    while (offsetOf(offsets, last + 1) <= top + 199) last++;
    expect(range.end).toBe(last + 1 + OVERSCAN_ROWS);
  });

  it('scrolls as little as it must to show a row (block: nearest)', () => {
    const offsets = even(300);
    // Already in view: no scroll.
    expect(scrollToShow(offsets, 102, 6000, 400)).toBe(6000);
    // Below: its bottom meets the viewport's bottom.
    expect(scrollToShow(offsets, 299, 6000, 400)).toBe(300 * 60 - 400);
    // Above: its top meets the viewport's top.
    expect(scrollToShow(offsets, 20, 6000, 400)).toBe(1200);
    // A row taller than the viewport shows its top.
    expect(scrollToShow(rowOffsets([60, 900, 60]), 1, 0, 400)).toBe(60);
    // No selection, or a short list: the position stays within the list.
    expect(scrollToShow(offsets, -1, 6000, 400)).toBe(6000);
    expect(scrollToShow(even(3), 2, 0, 400)).toBe(0);
  });

  it('estimates rows not yet on screen from those that were', () => {
    expect(rowHeights([1, 2], new Map())).toEqual([FIRST_ESTIMATE_PX, FIRST_ESTIMATE_PX]);
    expect(
      rowHeights(
        [1, 2, 3],
        new Map([
          [1, 60],
          [2, 80],
        ]),
      ),
    ).toEqual([60, 80, 70]);
  });
});
