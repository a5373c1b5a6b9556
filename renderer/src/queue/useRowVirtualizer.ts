import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualizerOptions } from "@tanstack/react-virtual";
import { useLayoutEffect, useReducer, useState } from "react";

type RowOptions = Pick<VirtualizerOptions<HTMLDivElement, Element>, "count" | "getScrollElement" | "estimateSize" | "getItemKey" | "overscan">;

/**
 * TanStack Virtual's core `Virtualizer`, held for the component's lifetime
 * and re-rendering it when the visible range moves. Written out (rather than
 * `useVirtualizer`) because React Compiler cannot reason about the library
 * hook and the lint rightly refuses it; this makes the mutable instance explicit.
 */
export function useRowVirtualizer(options: RowOptions): Virtualizer<HTMLDivElement, Element> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, Element>({
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        ...options,
        onChange: () => rerender(),
      }),
  );
  // As the library's own hook does: options (the row count above all) must be current for this render's getVirtualItems.
  virtualizer.setOptions({ ...virtualizer.options, ...options, onChange: () => rerender() });
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  return virtualizer;
}
