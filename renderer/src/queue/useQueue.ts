import { useContext, useEffect, useMemo, useState } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { indexCategories, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { buildQueue, type Queue, type QueueFilter } from "../../../shared/domain/queue.js";
import { TickerContext } from "../app/ticker.js";
import { useDataSelector } from "../state/context.js";

const EMPTY_CATEGORIES: CategoryIndex = new Map();
const REFRESH_MS = 60_000;

/** The categories of the settings, indexed once per settings change. */
export function useCategories(): CategoryIndex {
  const categories = useDataSelector((s) => s.settings?.categories);
  return useMemo(() => (categories ? indexCategories(categories) : EMPTY_CATEGORIES), [categories]);
}

/**
 * The queue for the filter, rebuilt only when the cases, the filter or the
 * categories change, when a deadline passes (the ticker is watched for
 * `recomputeAt`) and at most once a minute besides, never on every tick or frame.
 */
export function useQueue(filter: QueueFilter): Queue {
  const incidents: ReadonlyMap<string, IncidentView> = useDataSelector((s) => s.incidents);
  const categories = useCategories();
  const ticker = useContext(TickerContext);
  const [evaluatedAt, setEvaluatedAt] = useState(() => ticker?.getNow() ?? 0);
  const queue = useMemo(() => buildQueue(incidents.values(), filter, categories, evaluatedAt), [incidents, filter, categories, evaluatedAt]);
  const recomputeAt = queue.recomputeAt;
  useEffect(() => {
    if (!ticker) return;
    return ticker.subscribe(() => {
      const now = ticker.getNow();
      // Also once a minute: cases that arrived since were judged against the time of the last rebuild.
      if ((recomputeAt !== null && now > recomputeAt) || now - evaluatedAt > REFRESH_MS) setEvaluatedAt(now);
    });
  }, [ticker, recomputeAt, evaluatedAt]);
  return queue;
}
