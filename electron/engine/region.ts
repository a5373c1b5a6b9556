import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RegionLayerResult } from "../../shared/bridge/contract.js";
import { hasFeatures, prepareRegionLayer, type RegionLog } from "./region-prepare.js";

export { REGION_CACHE_FILE } from "./region-prepare.js";

/*
 * The region layer as views get it (getRegionLayer): validated and prepared
 * once per process by a worker thread (region-worker.ts), because importing a
 * large layer (its self-crossing checks, its dissolves) takes seconds that the
 * engine's event loop spends on the feed's heartbeats and the views' pushes.
 * No layer at all (tests, a checkout without the bundled one) is answered on
 * the spot.
 */

/** The layer itself, or the file it was read from (read again in the worker: nothing to clone on the engine's thread). */
export type RegionWorkerInput = ({ layer: unknown } | { file: string }) & { dataDir: string };
export type RegionWorkerMessage =
  | { kind: "log"; level: Parameters<RegionLog>[0]; message: string; fields?: Record<string, unknown> }
  | { kind: "result"; result: RegionLayerResult };

/**
 * Electron loads the engine bundled (dist/electron/*.cjs, import.meta.url
 * being the bundle's), next to the worker's own bundle; `npm run serve` and
 * the tests load TypeScript through tsx or vitest, which a worker does not
 * inherit, so tsx's loader is registered in the worker before its entry.
 */
function startWorker(input: RegionWorkerInput): Worker | null {
  const here = import.meta.url;
  if (here.endsWith(".cjs")) {
    const bundled = fileURLToPath(new URL("./region-worker.cjs", here));
    return existsSync(bundled) ? new Worker(bundled, { workerData: input }) : null;
  }
  const tsx = new URL("./dist/esm/api/index.mjs", pathToFileURL(createRequire(here).resolve("tsx/package.json"))).href;
  const entry = new URL("./region-worker.ts", here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: input });
}

export class PreparedRegionLayer {
  private result: Promise<RegionLayerResult> | null = null;
  private worker: Worker | null = null;

  /** `file`: where `layer` was read from, for the worker to read itself. */
  constructor(
    private readonly layer: unknown,
    private readonly dataDir: string,
    private readonly log: RegionLog,
    private readonly file?: string,
  ) {}

  /** The prepared layer (or the import's faults), made at most once per process; a failed try is tried again at the next ask. */
  get(): Promise<RegionLayerResult> {
    if (this.result === null) {
      const made = hasFeatures(this.layer) ? this.prepareOffThread() : Promise.resolve(prepareRegionLayer({ layer: this.layer }, this.dataDir, this.log));
      this.result = made;
      made.catch(() => {
        if (this.result === made) this.result = null;
      });
    }
    return this.result;
  }

  /** Stops a preparation under way (the engine stopping). */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private prepareOffThread(): Promise<RegionLayerResult> {
    const input: RegionWorkerInput = this.file === undefined ? { layer: this.layer, dataDir: this.dataDir } : { file: this.file, dataDir: this.dataDir };
    const worker = startWorker(input);
    if (worker === null) {
      // A build without the worker's bundle (scripts/bundles.mjs lists it): still prepared, only on the event loop.
      this.log("warn", "no region-worker.cjs beside the engine's bundle: preparing the region layer on the engine's thread");
      return Promise.resolve().then(() => prepareRegionLayer({ layer: this.layer }, this.dataDir, this.log));
    }
    return new Promise((resolve, reject) => {
      this.worker = worker;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        if (this.worker === worker) this.worker = null;
        outcome();
      };
      worker.on("message", (message: RegionWorkerMessage) => {
        if (message.kind === "log") this.log(message.level, message.message, message.fields);
        else settle(() => resolve(message.result));
      });
      worker.on("error", (error) => settle(() => reject(error)));
      worker.on("exit", (code) => settle(() => reject(new Error(`the region worker ended (exit code ${code}) before preparing the layer`))));
    });
  }
}
