import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Bridge } from "../../../shared/bridge/contract.js";
import type { QueueFacets, QueueWindow } from "../../../shared/bridge/queue.js";
import { QUEUE_WINDOW_MAX } from "../../../shared/bridge/queue.js";
import { indexCategories, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { EMPTY_FILTER, type QueueFilter } from "../../../shared/domain/queue.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { queueMovedSince } from "../state/data.js";

const EMPTY_CATEGORIES: CategoryIndex = new Map();

/** The categories of the settings, indexed once per settings change. */
export function useCategories(): CategoryIndex {
  const categories = useDataSelector((s) => s.settings?.categories);
  return useMemo(() => (categories ? indexCategories(categories) : EMPTY_CATEGORIES), [categories]);
}

/** Rows asked for beyond the visible ones on each side, so a short scroll needs no new window. */
const MARGIN = 30;
/** Rows asked for before the list has been measured. */
const FIRST_WINDOW = 60;
/** A page asks again at least this often, so the engine knows it still shows its view (it lets go of views after minutes unasked). */
const KEEP_ALIVE_MS = 60_000;
/** After a refused or failed ask (the engine starting, a reconnect), the next try. */
const RETRY_MS = 1_000;

export type QueueWindowState = {
  /** Cases that match the filter (0 until the first window arrives). */
  total: number;
  /** The row at `index` of the whole queue, when the window shown holds it. */
  rowAt: (index: number) => QueueWindow["rows"][number] | undefined;
  /** Where `id` is in the whole queue, when the window shown holds it; -1 otherwise. */
  indexOf: (id: string) => number;
  majors: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
  /** Tells the hook which rows are on screen (with the virtualizer's overscan); it asks for a window that covers them when the one shown does not. */
  show: (first: number, last: number) => void;
};

const byCode = (facets: QueueFacets["majors"]): ReadonlyMap<string, string> => new Map(facets.map((facet) => [facet.code, facet.name]));
const EMPTY_FACETS: ReadonlyMap<string, string> = new Map();

type Shown = { key: string; window: QueueWindow; askedAt: number };

/** The window asked for as the page connects: on its way, then come (and when). */
type FirstWindow = { key: string; answer: Promise<QueueWindow | null>; came?: { window: QueueWindow; at: number } };
const firstWindows = new WeakMap<Bridge, FirstWindow>();
/** A first window older than this is not shown: the queue asks for its own. */
const FIRST_WINDOW_FRESH_MS = 5_000;

/**
 * Asks for the unfiltered queue's first rows as the page connects, beside its initial state, so the queue
 * has rows in the console's first frame rather than after the map's first layers (which hold the main thread
 * for seconds at city scale under software WebGL). The queue shows them and asks for its window again at
 * once (kept current from then on as always). Call it once the data store listens to the bridge: a change
 * pushed after the answer is then counted too.
 */
export function askFirstQueueWindow(bridge: Bridge): void {
  const filter = EMPTY_FILTER;
  const first: FirstWindow = {
    key: JSON.stringify(filter),
    answer: bridge.call("queueWindow", { filter, offset: 0, limit: FIRST_WINDOW + 2 * MARGIN }).then(
      (result) => {
        if (!result.ok) return null;
        first.came = { window: result.value, at: Date.now() };
        return result.value;
      },
      // The queue asks for itself when it opens.
      () => null,
    ),
  };
  firstWindows.set(bridge, first);
}

/** Asked before any change the store counts: the first one pushed for its view makes the queue ask again. */
const firstShown = (key: string, window: QueueWindow): Shown => ({ key, window, askedAt: 0 });

/** The first window for `key` if it came lately (taken once), for the queue's first frame. */
function takeFirstWindow(bridge: Bridge, key: string): Shown | null {
  const first = firstWindows.get(bridge);
  if (first?.came === undefined || first.key !== key) return null;
  firstWindows.delete(bridge);
  return Date.now() - first.came.at > FIRST_WINDOW_FRESH_MS ? null : firstShown(key, first.came.window);
}

/** The first window for `key` still on its way when the queue opened, or null. */
function comingFirstWindow(bridge: Bridge, key: string): Promise<QueueWindow | null> | null {
  const first = firstWindows.get(bridge);
  return first === undefined || first.came !== undefined || first.key !== key ? null : first.answer;
}

type Asking = { key: string; offset: number; limit: number; seq: number };

/**
 * The queue as the engine serves it (issue 14): the page asks for the window
 * of the queue it scrolls over (`queueWindow`: filter, offset, limit) and
 * shows those rows, the total and the facets; when the engine pushes
 * `queueChanged` naming this window's view (a case changed, a deadline
 * passed) or the page scrolls past what it holds, it asks again. Order and
 * filters are the engine's (shared/domain/queue.ts rules), so nothing is
 * sorted or filtered here.
 */
export function useQueueWindow(filter: QueueFilter): QueueWindowState {
  const { bridge, data } = useConsole();
  const changes = useDataSelector((s) => s.queueChanges);
  const key = useMemo(() => JSON.stringify(filter), [filter]);
  const [shown, setShown] = useState<Shown | null>(() => takeFirstWindow(bridge, key));
  const asking = useRef<Asking | null>(null);
  const seq = useRef(0);
  // A first window (askFirstQueueWindow) is shown while the queue asks for its own at once (its answer waits behind the map's first layers).
  const lastAsk = useRef(0);
  const range = useRef({ first: 0, last: FIRST_WINDOW - 1 });
  const current = useRef<{ key: string; filter: QueueFilter; shown: Shown | null }>({ key, filter, shown });

  const ask = useCallback(
    (first: number, last: number) => {
      const { key: wanted, filter: asked } = current.current;
      const offset = Math.max(0, first - MARGIN);
      const limit = Math.min(QUEUE_WINDOW_MAX, last - first + 1 + 2 * MARGIN);
      const mine = ++seq.current;
      asking.current = { key: wanted, offset, limit, seq: mine };
      lastAsk.current = Date.now();
      const askedAt = data.getState().queueChanges.count;
      const settle = (window: QueueWindow | null) => {
        if (asking.current?.seq === mine) asking.current = null;
        // An answer overtaken by a newer ask is dropped: the newer one is for what the page shows now.
        if (mine !== seq.current) return;
        // A refused or failed ask (the engine starting, a reconnect) is tried again by the interval below, not at once.
        if (window !== null) setShown({ key: wanted, window, askedAt });
      };
      bridge.call("queueWindow", { filter: asked, offset, limit }).then(
        (result) => settle(result.ok ? result.value : null),
        () => settle(null),
      );
    },
    [bridge, data],
  );

  /** Asks unless the window shown (or the one being asked for) covers `first`…`last` for this filter and has not moved since. */
  const ensure = useCallback(() => {
    const { first, last } = range.current;
    const { key: wanted, shown: have } = current.current;
    const pending = asking.current;
    if (pending !== null && pending.key === wanted && pending.offset <= first && last < pending.offset + pending.limit) return;
    if (have !== null && have.key === wanted && !queueMovedSince(data.getState().queueChanges, have.window.view, have.askedAt)) {
      const end = have.window.offset + have.window.rows.length;
      const covers = have.window.offset <= first && (last < end || end >= have.window.total);
      if (covers && Date.now() - lastAsk.current < KEEP_ALIVE_MS) return;
    }
    ask(first, last);
  }, [ask, data]);

  useEffect(() => {
    current.current = { key, filter, shown };
    ensure();
  }, [key, filter, shown, changes, ensure]);

  // A first window still on its way when the queue opened is shown when it comes, unless the queue's own answer came first.
  useEffect(() => {
    const coming = comingFirstWindow(bridge, key);
    if (coming === null) return;
    let live = true;
    void coming.then((window) => {
      if (!live || window === null || current.current.shown !== null || current.current.key !== key) return;
      firstWindows.delete(bridge);
      setShown(firstShown(key, window));
    });
    return () => {
      live = false;
    };
  }, [bridge, key]);

  // Failed asks are tried again; a page left alone still asks once a minute (its view stays held, and any case that arrived is shown).
  useEffect(() => {
    const timer = setInterval(() => {
      if (asking.current === null) ensure();
    }, RETRY_MS);
    return () => clearInterval(timer);
  }, [ensure]);

  const show = useCallback(
    (first: number, last: number) => {
      if (range.current.first === first && range.current.last === last) return;
      range.current = { first, last };
      ensure();
    },
    [ensure],
  );

  return useMemo(() => {
    // Until the window for a new filter arrives, the last one stays on screen.
    const window = shown?.window ?? null;
    const rows = window?.rows ?? [];
    const offset = window?.offset ?? 0;
    return {
      total: window?.total ?? 0,
      rowAt: (index: number) => rows[index - offset],
      indexOf: (id: string) => {
        const at = rows.findIndex((row) => row.id === id);
        return at === -1 ? -1 : offset + at;
      },
      majors: window ? byCode(window.facets.majors) : EMPTY_FACETS,
      departments: window ? byCode(window.facets.departments) : EMPTY_FACETS,
      show,
    };
  }, [shown, show]);
}
