import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./args.js";

describe("feed command line", () => {
  it("reads the documented flags, with autopilot and an 8 h warm-up by default", () => {
    expect(parseArgs(["--port", "0", "--token", "t", "--seed", "42", "--scale", "district", "--speed=60", "--state-dir", "/tmp/x", "--chaos-drop", "0.1", "--chaos-stall-ms", "20000"])).toEqual({
      token: "t",
      port: 0,
      seed: 42,
      scale: "district",
      speed: 60,
      stateDir: "/tmp/x",
      autopilot: true,
      warmupHours: 8,
      chaos: { drop: 0.1, stallMs: 20000 },
    });
    expect(parseArgs(["--port", "0", "--token", "t", "--fraud", "0.05", "--tracks", "false"])).toMatchObject({ fraudShare: 0.05, tracks: false });
    expect(parseArgs(["--port", "0", "--token", "t"])).not.toHaveProperty("fraudShare");
    expect(parseArgs(["--port", "0", "--token", "t", "--trainer-token", "tt"])).toMatchObject({ token: "t", trainerToken: "tt" });
    expect(parseArgs(["--port", "0", "--token", "t"])).not.toHaveProperty("trainerToken");
    expect(parseArgs(["--port", "0", "--token", "t", "--history-days", "35"])).toMatchObject({ historyDays: 35 });
    expect(parseArgs(["--port", "0", "--token", "t"])).not.toHaveProperty("historyDays");
    expect(parseArgs(["--port", "1", "--token", "t", "--autopilot", "false", "--start", "2026-11-20T18:00:00+08:00"])).toMatchObject({ autopilot: false, startAt: Date.parse("2026-11-20T10:00:00Z") });
  });

  it("refuses missing, unknown and out-of-range flags with a usage error", () => {
    for (const argv of [["--port", "0"], ["--token", "t"], ["--port", "0", "--token", "t", "--scale", "planet"], ["--port", "0", "--token", "t", "--speed", "-1"], ["--port", "0", "--token", "t", "--chaos-drop", "2"], ["--port", "0", "--token", "t", "--colour", "red"], ["--port", "0", "--token", "t", "--fraud", "1.5"], ["--port", "0", "--token", "t", "--tracks", "maybe"], ["--port", "0", "--token", "t", "--trainer-token", ""], ["--port", "0", "--token", "t", "--history-days", "401"], ["--port", "0", "--token", "t", "--history-days", "2.5"], ["--port"]]) {
      expect(() => parseArgs(argv)).toThrow(UsageError);
    }
  });
});
