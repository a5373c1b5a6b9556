import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { ARTIFACTS, REPO } from "./processes.js";

/*
 * Screenshot baselines (e2e/baseline/*.png) for the briefing and the walls:
 * a screenshot is compared with its baseline by the share of 1/10-scale
 * blocks whose colour moved by more than BLOCK_CHANGE, and fails past
 * MAX_CHANGED_SHARE (live data moves a little between runs; a layout change
 * moves much more). With the suite's update variable set the screenshot
 * becomes the baseline instead: look at every image before committing it.
 */

const BASELINE = path.join(REPO, "e2e", "baseline");
/*
 * Why these thresholds. Both images are reduced to 1/10 scale (each pixel the
 * average of a 10×10 block, so anti-aliasing and one-pixel shifts vanish) and
 * a block counts as changed when a channel moves by more than 40 of 255.
 * Measured between the committed baseline and a later run of the same seed
 * (the simulation runs on wall time, so the data differ): 0.3–3.8% for most
 * scenes, 11% for hot spots (bar lengths), 1.9% for the 32:9 wall. A scene
 * that breaks as a picture (map or chart missing, body blank against a full
 * one, light theme, layout overflow) moves 30% or more: overview against hot
 * spots measured 34%. 18% sits between the two. What this cannot see is a
 * text-only change on a dark scene (two table scenes differ by only 6–9%), so
 * which scene is showing, and that it has content, is asserted structurally.
 */
const BLOCK_CHANGE = 40;
const MAX_CHANGED_SHARE = 0.18;

/** Share of 1/10-scale blocks that differ, computed by the browser's own PNG decoder (no image library needed). */
export async function changedShare(page: Page, actual: Buffer, expected: Buffer): Promise<number> {
  return page.evaluate(
    async ({ a, b, threshold }) => {
      const load = (data: string) =>
        new Promise<HTMLImageElement>((resolve, reject) => {
          const image = new Image();
          image.onload = () => resolve(image);
          image.onerror = () => reject(new Error("cannot decode screenshot"));
          image.src = `data:image/png;base64,${data}`;
        });
      const [first, second] = await Promise.all([load(a), load(b)]);
      if (first.width !== second.width || first.height !== second.height) return 1;
      const width = Math.round(first.width / 10);
      const height = Math.round(first.height / 10);
      const pixels = (image: HTMLImageElement) => {
        const canvas = document.createElement("canvas");
        canvas.width = width;
        canvas.height = height;
        const context = canvas.getContext("2d");
        if (!context) throw new Error("no 2d canvas");
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.drawImage(image, 0, 0, width, height);
        return context.getImageData(0, 0, width, height).data;
      };
      const p = pixels(first);
      const q = pixels(second);
      let changed = 0;
      for (let i = 0; i < p.length; i += 4) {
        const delta = Math.max(Math.abs((p[i] ?? 0) - (q[i] ?? 0)), Math.abs((p[i + 1] ?? 0) - (q[i + 1] ?? 0)), Math.abs((p[i + 2] ?? 0) - (q[i + 2] ?? 0)));
        if (delta > threshold) changed++;
      }
      return changed / (width * height);
    },
    { a: actual.toString("base64"), b: expected.toString("base64"), threshold: BLOCK_CHANGE },
  );
}

/**
 * Takes `page`'s screenshot and compares it with the baseline `name`.png (decoded in `scratch`, a
 * page of the same browser), or writes it as the baseline when `updateVariable` is set to 1. The
 * screenshot and the measured difference are kept in the artifacts for whoever tunes the limit.
 */
export async function compareWithBaseline(page: Page, scratch: Page, name: string, updateVariable: string, screenshotTimeoutMs = 120_000): Promise<void> {
  const actual = await page.screenshot({ timeout: screenshotTimeoutMs });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.png`), actual);
  const file = path.join(BASELINE, `${name}.png`);
  if (process.env[updateVariable] === "1") {
    mkdirSync(BASELINE, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `baseline ${name}.png is missing: run with ${updateVariable}=1`).toBe(true);
  const share = await changedShare(scratch, actual, readFileSync(file));
  writeFileSync(path.join(ARTIFACTS, `${name}.diff.json`), JSON.stringify({ name, changedShare: share, limit: MAX_CHANGED_SHARE }));
  expect(share, `${name}: ${(share * 100).toFixed(1)}% of blocks differ from the baseline`).toBeLessThan(MAX_CHANGED_SHARE);
}
