import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RegionLayerResult } from "../../shared/bridge/contract.js";
import { importRegionLayer } from "../../shared/geo/import.js";
import { writeFileAtomicSync } from "./atomic-file.js";

/*
 * The region layer validated and prepared (areas with their bounding boxes
 * and label points), kept in <dataDir>/region-prepared.json keyed by a hash of
 * the layer, so a console restarted on the same layer only reads it back; a
 * changed layer (or a changed importer: FORMAT) is imported again. Runs in the
 * region worker (region-worker.ts): hashing, reading back and importing a
 * city's layer take seconds that the engine's event loop cannot spare.
 */

export const REGION_CACHE_FILE = "region-prepared.json";
/** Bump when importRegionLayer's output changes shape or meaning, so old prepared files are not reused. */
const FORMAT = 2;

type Stored = { format: number; hash: string; result: RegionLayerResult };
export type RegionLog = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** The layer as parsed GeoJSON, or its file's text (parsed only when nothing kept matches it). */
export type RegionSource = { layer: unknown } | { text: string };

export function prepareRegionLayer(source: RegionSource, dataDir: string, log: RegionLog): RegionLayerResult {
  const text = "text" in source ? source.text : (JSON.stringify(source.layer) ?? "null");
  const hash = createHash("sha256").update(text).digest("hex");
  const path = join(dataDir, REGION_CACHE_FILE);
  const stored = readStored(path);
  if (stored && stored.format === FORMAT && stored.hash === hash) return stored.result;
  const began = performance.now();
  const layer: unknown = "layer" in source ? source.layer : parseLayer(text);
  const imported = importRegionLayer(layer);
  const result: RegionLayerResult = imported.ok ? { ok: true, layer: imported.layer, warnings: imported.warnings, errors: imported.errors } : { ok: false, errors: imported.errors };
  const faults = result.errors.length;
  log(faults > 0 ? "warn" : "info", "prepared the region layer", { ms: Math.round(performance.now() - began), ok: result.ok, faults });
  // The English for whoever reads the log; the views translate the codes.
  for (const fault of result.errors.slice(0, 20)) log("warn", `region layer: ${fault.feature}: ${fault.fault}`, { code: fault.code });
  // Nothing worth keeping when there is no layer at all (tests, a checkout without the bundled one).
  if (!hasFeatures(layer)) return result;
  try {
    writeFileAtomicSync(path, Buffer.from(JSON.stringify({ format: FORMAT, hash, result } satisfies Stored)));
  } catch (error) {
    // Only a speed-up: a failed write costs the import again at the next start, nothing else.
    log("warn", "could not keep the prepared region layer", { error: String(error) });
  }
  return result;
}

/** The file was parsed once already (electron/config/prepare.ts refuses a console whose layer is not JSON); a file changed since then is imported as it is now. */
function parseLayer(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function hasFeatures(layer: unknown): boolean {
  const features = (layer as { features?: unknown } | null)?.features;
  return Array.isArray(features) && features.length > 0;
}

function readStored(path: string): Stored | null {
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<Stored> | null;
    if (!value || typeof value.hash !== "string" || typeof value.format !== "number" || typeof value.result !== "object" || value.result === null) return null;
    return value as Stored;
  } catch {
    // A torn or foreign file: prepare again and overwrite it.
    return null;
  }
}
