import { describe, expect, it } from "vitest";
import { firstRunScreen } from "./first-run.js";

describe("firstRunScreen", () => {
  it("names the settings, the config file and the demo flag, in Chinese and English", () => {
    const screen = firstRunScreen("/home/op/.config/grid-command-console");
    for (const text of ["feedUrl", "token", "tokenFile", "/home/op/.config/grid-command-console/config.json", "GRID_CONSOLE_FEED_URL", "--demo", "尚未配置数据源", "No feed configured"]) {
      expect(`${screen.message}\n${screen.detail}`).toContain(text);
    }
  });
});
