import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Figure, Suite } from "./lib.js";
import { machine } from "./lib.js";
import { cacheSuite } from "./cache.js";
import { hostSuite } from "./host.js";
import { ingestSuite } from "./ingest.js";
import { mapBuildersSuite } from "./map-builders.js";
import { gridCountsSuite } from "./grid-counts.js";
import { patrolSuite } from "./patrol.js";
import { queueIndexSuite } from "./queue-index.js";
import { regionSuite } from "./region.js";
import { situationSuite } from "./situation.js";
import { REPO, stopAll } from "./processes.js";
import { renderReport, type StoredResult } from "./report.js";
import { browserSuites } from "./browser-suites.js";

/*
 * `npm run bench [-- --only <suite>[,<suite>…]] [--quick] [--out <file>]`:
 * runs the suites in order, keeps each suite's result in bench/.out/results/
 * (quick runs: bench/.out/quick/), and writes BENCHMARKS.md from the latest
 * result of every suite, so one suite can be re-run alone after a fix.
 * `--report` runs nothing: it writes BENCHMARKS.md again from the stored
 * results and bench/NOTES.md (after editing the notes).
 */

const SUITES: readonly Suite[] = [ingestSuite, cacheSuite, hostSuite, mapBuildersSuite, gridCountsSuite, queueIndexSuite, situationSuite, patrolSuite, regionSuite, ...browserSuites];

const { values } = parseArgs({ options: { only: { type: "string" }, quick: { type: "boolean", default: false }, out: { type: "string" }, report: { type: "boolean", default: false } } });
const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const unknown = [...(only ?? [])].filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown suite(s): ${unknown.join(", ")}; suites: ${SUITES.map((s) => s.name).join(", ")}\n`);
  process.exit(2);
}

const quick = values.quick ?? false;
const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
// Quick runs keep their results apart: small sizes never replace measured figures.
const resultsDir = path.join(REPO, "bench", ".out", quick ? "quick" : "results");
mkdirSync(resultsDir, { recursive: true });
let failed = false;
try {
  for (const suite of SUITES) {
    if (values.report || (only && !only.has(suite.name))) continue;
    log(`suite ${suite.name}`);
    const ranAt = new Date().toISOString();
    const load = os.loadavg().map((n) => n.toFixed(1)).join(", ");
    const began = performance.now();
    let figures: Figure[] = [];
    let error: string | undefined;
    try {
      figures = await suite.run({ quick, log });
      for (const f of figures) log(`  ${f.name}: ${f.value} ${f.unit}${f.ratio !== undefined ? ` (ratio ${f.ratio})` : ""}${f.met === undefined ? "" : f.met ? " met" : " MISSED"}`);
    } catch (caught) {
      failed = true;
      const message = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
      log(`suite ${suite.name} failed: ${message}`);
      error = message.split("\n")[0] ?? message;
    } finally {
      await stopAll();
    }
    const stored: StoredResult = { suite: suite.name, title: suite.title, method: suite.method, figures, seconds: (performance.now() - began) / 1000, ranAt, command, machine: machine(), load };
    if (error !== undefined) stored.error = error;
    writeFileSync(path.join(resultsDir, `${suite.name}.json`), `${JSON.stringify(stored, null, 2)}\n`);
  }
} finally {
  await stopAll();
}

// The report holds the latest stored result of every suite, in suite order.
const stored = SUITES.flatMap((suite): StoredResult[] => {
  const file = path.join(resultsDir, `${suite.name}.json`);
  return existsSync(file) ? [JSON.parse(readFileSync(file, "utf8")) as StoredResult] : [];
});
const notesFile = path.join(REPO, "bench", "NOTES.md");
const notes = existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "";
const target = values.out ?? (quick ? path.join(REPO, "bench", ".out", "BENCHMARKS.quick.md") : path.join(REPO, "BENCHMARKS.md"));
writeFileSync(target, renderReport(stored, notes));
log(`wrote ${path.relative(REPO, target)}`);
process.exit(failed ? 1 : 0);
