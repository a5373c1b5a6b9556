import type { IncidentView } from "./contract.js";
import type { QueueFilter } from "../domain/queue.js";

/*
 * The operator's queue as the engine serves it (issue 14: the page subscribes
 * to what it shows). A page asks for the window it scrolls over
 * (`queueWindow`: filter, offset, limit) and gets those rows, the total and
 * the filter menus' facets; the engine pushes `queueChanged` (which views
 * moved, never their rows) and a page whose view is named asks again for its
 * own window. Order and filters are shared/domain/queue.ts `buildQueue`'s.
 */

/** A case as the queue lists it: what a row draws, without the reporter and the free text (the detail fetches the case whole). */
export type QueueRow = Omit<IncidentView, "description" | "reporter">;

export type QueueWindowRequest = { filter: QueueFilter; offset: number; limit: number };

/** Majors (two-digit category codes) and departments among open cases, by code, with how many open cases each has. */
export type QueueFacets = {
  majors: { code: string; name: string; count: number }[];
  departments: { code: string; name: string; count: number }[];
};

export type QueueWindow = {
  /** The engine's id for this filter's view, named by `queueChanged` when it moves. */
  view: string;
  /** The index's version when this view last changed. */
  version: number;
  /** Cases that match the filter. */
  total: number;
  offset: number;
  /** The cases at offset… in attention order (fewer at the end of the queue). */
  rows: QueueRow[];
  facets: QueueFacets;
  /** When a case's overdue state next changes (the engine re-sorts then by itself; informational). */
  recomputeAt: number | null;
};

/** Pushed when views moved: their ids and the index's version; no case data. `all`: every view may have moved (a page's resync after a reconnect). */
export type QueueChanged = { version: number; views: string[]; all?: boolean };

/** Most rows one window may ask for. */
export const QUEUE_WINDOW_MAX = 500;
