import type { BridgeCallName, BridgeEventName, BridgeEvents, CallerSession, Result } from "../../../shared/bridge/contract.js";
import type { EngineOptions } from "../api.js";
import type { EngineTiming } from "../engine.js";

/*
 * The messages between the engine's worker thread (./entry.ts) and its proxy
 * in the process that owns the windows or the HTTP server
 * (./worker-engine.ts). They travel by postMessage (structured clone), so
 * options that are functions (`log`) become messages, and the typed arrays
 * of a positions push or a reply travel as transferred buffers.
 */

/**
 * What the worker is started with (workerData): the engine's options less
 * `log`. The region layer crosses once, here: as its file's name when it has
 * one (`layerFromFile`: the thread reads and parses it again), else cloned.
 */
export type WorkerStart = { options: Omit<EngineOptions, "log">; layerFromFile: boolean; timing?: Partial<EngineTiming>; logs: boolean };

export type ToWorker =
  /** `caller`: the page's session as its shell set it (electron/host/dispatch.ts), handed to the handler beside the request. */
  | { type: "call"; id: number; name: BridgeCallName; request: unknown; caller?: CallerSession }
  | { type: "start"; id: number }
  | { type: "stop"; id: number };

/** An error as it crosses the thread boundary: Error subclasses do not survive structured clone. */
export type CrossedError = { name: string; message: string; stack?: string };

export type FromWorker =
  | { type: "done"; id: number; ok: true; value?: Result<unknown> }
  | { type: "done"; id: number; ok: false; error: CrossedError }
  | { type: "event"; name: BridgeEventName; payload: BridgeEvents[BridgeEventName] }
  | { type: "log"; level: "info" | "warn" | "error"; message: string; fields?: Record<string, unknown> };

export function crossError(error: unknown): CrossedError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { name: "Error", message: String(error) };
}

/**
 * The buffers a payload may hand over rather than copy: the Float64Arrays of
 * positions (a push, getInitialState's `positions`) and of a patrol track,
 * and the Uint32Arrays of the map's grid counts (a gridCounts push,
 * getInitialState's `gridCounts`), and the columns of its incident markers
 * (an incidentMarkers push, getIncidentMarkers' reply). The engine
 * makes each of them for that one push or reply (bridge-objects.ts
 * `positionsBatch`, the track store's `slice`, grid-counts.ts `current`,
 * `takeMarkers`, `currentMarkers`), so the worker never reads them again
 * once handed over.
 */
export function transferables(payload: unknown): ArrayBuffer[] {
  const found: ArrayBuffer[] = [];
  const take = (value: unknown) => {
    if ((value instanceof Float64Array || value instanceof Uint32Array) && value.buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && !found.includes(value.buffer)) found.push(value.buffer);
  };
  if (typeof payload !== "object" || payload === null) return found;
  type Counts = { open?: unknown; overdue?: unknown };
  type Markers = { slots?: unknown; position?: unknown; kind?: unknown; grid?: unknown };
  const record = payload as { data?: unknown; positions?: { data?: unknown }; value?: { data?: unknown; positions?: { data?: unknown }; gridCounts?: Counts } & Markers } & Counts & Markers;
  const takeMarkers = (markers: Markers | undefined) => {
    take(markers?.slots);
    take(markers?.position);
    take(markers?.kind);
    take(markers?.grid);
  };
  take(record.data);
  take(record.positions?.data);
  take(record.value?.data);
  take(record.value?.positions?.data);
  take(record.open);
  take(record.overdue);
  take(record.value?.gridCounts?.open);
  take(record.value?.gridCounts?.overdue);
  takeMarkers(record);
  takeMarkers(record.value);
  return found;
}
