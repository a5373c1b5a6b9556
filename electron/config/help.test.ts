import { describe, expect, it } from "vitest";
import { CONFIG_KEY_NAMES, envOf, flagOf, onCommandLine } from "./keys.js";
import { helpText, wantsHelp } from "./help.js";

describe("--help", () => {
  it("lists every key's flag and environment variable", () => {
    const text = helpText("npm run serve --");
    for (const key of CONFIG_KEY_NAMES) {
      expect(text).toContain(onCommandLine(key) ? `${flagOf(key)} ` : `(${key}: no flag)`);
      expect(text).toContain(envOf(key));
    }
  });

  it("is asked for with --help or -h only", () => {
    expect(wantsHelp(["--port", "1", "--help"])).toBe(true);
    expect(wantsHelp(["-h"])).toBe(true);
    expect(wantsHelp(["--port", "1"])).toBe(false);
  });
});
