import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { prepareRegionLayer } from "./region-prepare.js";
import type { RegionWorkerMessage, RegionWorkerInput } from "./region.js";

/*
 * The region worker's entry (started by region.ts; built to
 * dist/electron/region-worker.cjs for Electron): prepares the layer and posts
 * the result back, with its log lines, then ends.
 */

const port = parentPort;
if (port === null) throw new Error("region-worker.ts runs as a worker thread (started by electron/engine/region.ts)");
const input = workerData as RegionWorkerInput;
const post = (message: RegionWorkerMessage) => port.postMessage(message);
const source = "file" in input ? { text: readFileSync(input.file, "utf8") } : { layer: input.layer };
const result = prepareRegionLayer(source, input.dataDir, (level, message, fields) => post({ kind: "log", level, message, ...(fields ? { fields } : {}) }));
post({ kind: "result", result });
