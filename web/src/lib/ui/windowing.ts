// The arithmetic of a windowed list (the message history renders only the
// rows near the viewport): row tops from measured or estimated heights, the
// range of rows to render, and the anchor that keeps what is on screen in
// place when rows are added above it or measured at a different height.
// Pure functions; the view (components/conversation-view.tsx) does the DOM.

/** tops[i] is where row i starts; tops[n] is the total height. */
export function rowTops(n: number, heightOf: (i: number) => number): Float64Array {
  const tops = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) tops[i + 1] = tops[i]! + heightOf(i);
  return tops;
}

/** The row that contains y (clamped to the rows there are; -1 when none). */
export function rowAt(tops: Float64Array, y: number): number {
  const n = tops.length - 1;
  if (n <= 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Rows to render, [start, end), for a viewport from `top` of `height`
 * pixels (in list coordinates) with `overscan` pixels more on each side.
 * `include` (a row that must be rendered, say one being focused) widens it.
 */
export function visibleRange(tops: Float64Array, top: number, height: number, overscan: number, include = -1): [number, number] {
  const n = tops.length - 1;
  if (n <= 0) return [0, 0];
  let start = rowAt(tops, top - overscan);
  let end = rowAt(tops, top + height + overscan) + 1;
  if (include >= 0 && include < n) {
    start = Math.min(start, include);
    end = Math.max(end, include + 1);
  }
  return [start, end];
}

/** What stays put on screen: the row at the top of the viewport, and how far above the viewport it starts. */
export interface Anchor { key: string; offset: number }

export function anchorAt(tops: Float64Array, keys: readonly string[], top: number): Anchor | null {
  const i = rowAt(tops, top);
  if (i < 0) return null;
  return { key: keys[i]!, offset: top - tops[i]! };
}

/** The viewport top that puts the anchor back where it was (null when its row is gone). */
export function topFor(anchor: Anchor, tops: Float64Array, indexOf: (key: string) => number): number | null {
  const i = indexOf(anchor.key);
  return i < 0 ? null : tops[i]! + anchor.offset;
}
