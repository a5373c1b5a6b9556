import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import "./node20-compat.js";

/*
 * End-to-end tests start real processes and a real browser on a machine with
 * few cores: one file at a time, one test at a time, and timeouts that allow
 * for a cold TypeScript load and a software-rendered map. A poll waits up to
 * 15 s, not Vitest's 1 s: re-rendering the whole wall (a language switch
 * relabels the map) takes longer than that under SwiftShader on a busy CI
 * machine.
 */
export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
  test: {
    include: ["e2e/**/*.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: "forks",
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
