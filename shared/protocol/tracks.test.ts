import { describe, expect, it } from "vitest";
import { LIMITS } from "./limits.js";
import { parseHello, parseTracksReply, parseTracksRequest } from "./validate.js";
import type { Fix } from "./types.js";

/* The `tracks` request and reply and `hello.capabilities` of PROTOCOL.md. */

const fix: Fix = ["U1", 116.4, 39.9, 1_763_600_000_000, 90, 1.1, 8];
const hello = { protocol: 1, epoch: "e1", serverTime: "2026-11-20T10:00:00.000+08:00", scope: { districtCode: "110101" }, headSeq: 0 };

describe("hello capabilities", () => {
  it("accepts a hello with and without capabilities, keeping names it does not know", () => {
    expect(parseHello(hello).ok).toBe(true);
    const parsed = parseHello({ ...hello, capabilities: ["tracks", "something-newer"] });
    expect(parsed.ok && parsed.value.capabilities).toEqual(["tracks", "something-newer"]);
  });

  it("refuses capabilities that are not a list of names", () => {
    expect(parseHello({ ...hello, capabilities: "tracks" }).ok).toBe(false);
  });
});

describe("tracks request", () => {
  const window = { since: "2026-11-19T10:00:00+08:00", until: "2026-11-20T10:00:00+08:00" };

  it("accepts a window, optional units and cursor, and ignores unknown fields", () => {
    const parsed = parseTracksRequest({ ...window, unitIds: ["U1"], cursor: "abc", extra: 1 });
    expect(parsed).toEqual({ ok: true, value: { ...window, unitIds: ["U1"], cursor: "abc" } });
  });

  it("refuses bad dates, an until before since, and too many units", () => {
    expect(parseTracksRequest({ ...window, since: "yesterday" })).toMatchObject({ ok: false, error: { path: "since" } });
    expect(parseTracksRequest({ since: window.until, until: window.since })).toMatchObject({ ok: false, error: { path: "until" } });
    const unitIds = Array.from({ length: LIMITS.tracksUnitIds + 1 }, (_, i) => `U${i}`);
    expect(parseTracksRequest({ ...window, unitIds })).toMatchObject({ ok: false, error: { path: "unitIds" } });
  });
});

describe("tracks reply", () => {
  it("keeps good fixes and counts the bad ones dropped", () => {
    const parsed = parseTracksReply({ ok: true, fixes: [fix, ["U2", 500, 39.9, 1, null, null, null]], next: "c1" });
    expect(parsed).toEqual({ ok: true, value: { ok: true, fixes: [fix], next: "c1" }, dropped: 1 });
  });

  it("reads a refusal with its code, and refuses an oversize page or an unknown code", () => {
    expect(parseTracksReply({ ok: false, code: "unavailable", message: "no tracks" })).toMatchObject({ ok: true, value: { ok: false, code: "unavailable" } });
    expect(parseTracksReply({ ok: false, code: "broken", message: "x" }).ok).toBe(false);
    expect(parseTracksReply({ ok: true, fixes: new Array(LIMITS.fixesPerTracksReply + 1).fill(fix) }).ok).toBe(false);
  });
});
