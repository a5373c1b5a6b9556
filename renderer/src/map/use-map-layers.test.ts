import { describe, expect, it } from "vitest";
import type { GridCounts } from "../../../shared/bridge/contract.js";
import { engineGridValues } from "./use-map-layers.js";

const counts: GridCounts = { layer: "3:ab", at: 0, open: new Uint32Array([1, 2, 3]), overdue: new Uint32Array([0, 1, 0]) };

describe("the choropleth's values from the engine's grid counts", () => {
  it("draws the engine's counts of open and overdue cases on the grids they were counted for", () => {
    expect(engineGridValues("open", counts, "3:ab", 3)).toBe(counts.open);
    expect(engineGridValues("overdue", counts, "3:ab", 3)).toBe(counts.overdue);
  });

  it("counts itself when the engine's are for other grids, missing, or the metric is patrol coverage", () => {
    expect(engineGridValues("open", counts, "3:cd", 3)).toBeNull();
    expect(engineGridValues("open", counts, "3:ab", 4)).toBeNull();
    expect(engineGridValues("open", null, "3:ab", 3)).toBeNull();
    expect(engineGridValues("coverage", counts, "3:ab", 3)).toBeNull();
    expect(engineGridValues("weekly", counts, "3:ab", 3)).toBeNull();
  });
});
