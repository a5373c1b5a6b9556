import { useCallback, useLayoutEffect, useState, type RefObject } from "react";

/** A row on screen: its place in the whole list and its top, in px. */
export type FixedRow = { index: number; start: number };

/** First and last index to draw (inclusive), or null when none. */
export type RowRange = { first: number; last: number } | null;

/**
 * The rows of a list of `count` rows, each `rowHeight` px tall, that a
 * viewport `viewport` px tall scrolled to `scrollTop` shows, with `overscan`
 * rows either side. Arithmetic, not a walk: the queue holds 100,000 rows.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): RowRange {
  if (count <= 0 || rowHeight <= 0) return null;
  const top = Math.max(0, scrollTop);
  const first = Math.max(0, Math.min(count - 1, Math.floor(top / rowHeight) - overscan));
  const last = Math.max(first, Math.min(count - 1, Math.ceil((top + Math.max(0, viewport)) / rowHeight) - 1 + overscan));
  return { first, last };
}

/** Where to scroll so that row `index` is in view, moving as little as possible ("auto"); null when it already is. */
export function scrollFor(index: number, scrollTop: number, viewport: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return null;
}

type Options = { count: number; rowHeight: number; overscan: number; scrollRef: RefObject<HTMLElement | null> };

/**
 * A virtual list of rows of one fixed height (the queue's rows are 4.5 rem
 * by CSS). It re-renders its caller only when the range of rows in view
 * changes, and costs the same for 100,000 rows as for 10: TanStack Virtual,
 * used before, rebuilt a measurement for every row whenever the count or the
 * row keys changed, which at city scale was most of a delta's time on the
 * operator's page (bench/delta.ts profile).
 */
export function useFixedRows({ count, rowHeight, overscan, scrollRef }: Options): { rows: FixedRow[]; totalSize: number; scrollToIndex: (index: number) => void } {
  const [view, setView] = useState({ scrollTop: 0, viewport: 0 });
  // The range is what re-renders; scroll positions inside one row do not.
  const range = visibleRange(view.scrollTop, view.viewport, rowHeight, count, overscan);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const read = () => {
      const next = { scrollTop: element.scrollTop, viewport: element.clientHeight };
      setView((previous) => {
        const before = visibleRange(previous.scrollTop, previous.viewport, rowHeight, Number.MAX_SAFE_INTEGER, 0);
        const after = visibleRange(next.scrollTop, next.viewport, rowHeight, Number.MAX_SAFE_INTEGER, 0);
        return before?.first === after?.first && before?.last === after?.last ? previous : next;
      });
    };
    read();
    element.addEventListener("scroll", read, { passive: true });
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => {
      element.removeEventListener("scroll", read);
      observer.disconnect();
    };
  }, [scrollRef, rowHeight]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const to = scrollFor(index, element.scrollTop, element.clientHeight, rowHeight);
      if (to !== null) element.scrollTop = to;
    },
    [scrollRef, rowHeight],
  );

  const rows: FixedRow[] = [];
  if (range) for (let index = range.first; index <= range.last; index++) rows.push({ index, start: index * rowHeight });
  return { rows, totalSize: Math.max(0, count) * rowHeight, scrollToIndex };
}
