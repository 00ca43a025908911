import { describe, expect, it } from 'vitest';
import { anchorAt, rowAt, rowTops, topFor, visibleRange } from './windowing';

describe('windowed list arithmetic', () => {
  const tops = rowTops(1000, (i) => (i % 10 === 0 ? 100 : 50)); // every tenth row is taller

  it('sums heights into row tops', () => {
    expect(tops[0]).toBe(0);
    expect(tops[1]).toBe(100);
    expect(tops[10]).toBe(550);
    expect(tops[1000]).toBe(55_000);
  });

  it('finds the row at a position, clamped to the list', () => {
    expect(rowAt(tops, 0)).toBe(0);
    expect(rowAt(tops, 99)).toBe(0);
    expect(rowAt(tops, 100)).toBe(1);
    expect(rowAt(tops, -500)).toBe(0);
    expect(rowAt(tops, 1e9)).toBe(999);
    expect(rowAt(rowTops(0, () => 1), 10)).toBe(-1);
  });

  it('renders only the rows near the viewport, however long the list', () => {
    const [start, end] = visibleRange(tops, 27_500, 800, 400);
    expect(tops[start]!).toBeLessThanOrEqual(27_100);
    expect(tops[end]!).toBeGreaterThanOrEqual(28_700);
    expect(end - start).toBeLessThan(40);
    expect(visibleRange(tops, 54_500, 800, 400)[1]).toBe(1000);
    expect(visibleRange(tops, 0, 800, 400)[0]).toBe(0);
    // A row to focus far away is rendered too.
    expect(visibleRange(tops, 0, 800, 400, 700)).toEqual([0, 701]);
    expect(visibleRange(rowTops(0, () => 1), 0, 800, 400)).toEqual([0, 0]);
  });

  it('keeps the row on screen in place when older rows are added above and rows are measured', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i + 100}`);
    const before = rowTops(100, () => 50);
    const anchor = anchorAt(before, keys, 1_025)!; // row 20 (k120), 25 px into it
    expect(anchor).toEqual({ key: 'k120', offset: 25 });
    // 100 older rows arrive above, and row k110 turns out 30 px taller than estimated.
    const all = [...Array.from({ length: 100 }, (_, i) => `k${i}`), ...keys];
    const after = rowTops(200, (i) => (all[i] === 'k110' ? 80 : 50));
    const top = topFor(anchor, after, (k) => all.indexOf(k))!;
    expect(top).toBe(after[120]! + 25);
    expect(top).toBe(1_025 + 100 * 50 + 30);
    expect(topFor({ key: 'gone', offset: 0 }, after, (k) => all.indexOf(k))).toBeNull();
  });
});
