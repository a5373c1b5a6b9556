import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDongchengLayer } from "./dongcheng.js";
import { serializeLayer } from "./features.js";

/*
 * `npm run region`: regenerates resources/region/dongcheng.geojson from
 * resources/data. Deterministic, so the committed file only changes when the
 * generator or the reference data does.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = (name: string): string => readFileSync(join(root, "resources", "data", name), "utf8");

const started = performance.now();
const layer = buildDongchengLayer({
  divisionsCsv: data("beijing-divisions.csv"),
  districtsGeojson: data("beijing-districts.geojson"),
  anchorsCsv: data("dongcheng-street-anchors.csv"),
});
const out = join(root, "resources", "region", "dongcheng.geojson");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, serializeLayer(layer));
const byLevel = new Map<string, number>();
for (const feature of layer.features) byLevel.set(feature.properties.level, (byLevel.get(feature.properties.level) ?? 0) + 1);
console.log(`wrote ${out}: ${[...byLevel].map(([level, n]) => `${n} ${level}`).join(", ")} in ${Math.round(performance.now() - started)} ms`);
