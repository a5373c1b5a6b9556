import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RegionLayerResult } from "../../shared/bridge/contract.js";
import { importRegionLayer } from "../../shared/geo/import.js";
import { writeFileAtomicSync } from "./atomic-file.js";

/*
 * The region layer as views get it: validated and prepared (areas with their
 * bounding boxes and label points) once by the engine, not by every view on
 * every start. The prepared form is kept in <dataDir>/region-prepared.json,
 * keyed by a hash of the layer, so a console restarted on the same layer only
 * reads it back; a changed layer (or a changed importer: FORMAT) is imported
 * again, and its faults reach the views as before.
 */

export const REGION_CACHE_FILE = "region-prepared.json";
/** Bump when importRegionLayer's output changes shape or meaning, so old prepared files are not reused. */
const FORMAT = 1;

type Stored = { format: number; hash: string; result: RegionLayerResult };
type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export class PreparedRegionLayer {
  private result: RegionLayerResult | null = null;

  constructor(
    private readonly layer: unknown,
    private readonly dataDir: string,
    private readonly log: Log,
  ) {}

  /** The prepared layer (or the import's faults), made at most once per process. */
  get(): RegionLayerResult {
    this.result ??= this.load();
    return this.result;
  }

  private load(): RegionLayerResult {
    const hash = createHash("sha256").update(JSON.stringify(this.layer) ?? "null").digest("hex");
    const path = join(this.dataDir, REGION_CACHE_FILE);
    const stored = readStored(path);
    if (stored && stored.format === FORMAT && stored.hash === hash) return stored.result;
    const began = performance.now();
    const imported = importRegionLayer(this.layer);
    const result: RegionLayerResult = imported.ok ? { ok: true, layer: imported.layer, warnings: imported.warnings } : { ok: false, errors: imported.errors };
    this.log("info", "prepared the region layer", { ms: Math.round(performance.now() - began), ok: result.ok });
    // Nothing worth keeping when there is no layer at all (tests, a checkout without the bundled one).
    if (!hasFeatures(this.layer)) return result;
    try {
      writeFileAtomicSync(path, Buffer.from(JSON.stringify({ format: FORMAT, hash, result } satisfies Stored)));
    } catch (error) {
      // Only a speed-up: a failed write costs the import again at the next start, nothing else.
      this.log("warn", "could not keep the prepared region layer", { error: String(error) });
    }
    return result;
  }
}

function hasFeatures(layer: unknown): boolean {
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
