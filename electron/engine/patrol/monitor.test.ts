import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Fix, TracksAnswer } from "../../../shared/protocol/types.js";
import { PatrolMonitor } from "./monitor.js";
import { honestWalk, random, replayed, type SyntheticFix } from "./testing.js";

/* The monitor's bookkeeping on the platform's clock, with a scripted platform. */

const NOW = Date.parse("2026-12-05T10:00:00+08:00");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function monitor(answer: (request: { since: string; until: string; cursor?: string }) => Promise<TracksAnswer>, clock = { now: NOW }) {
  const dir = mkdtempSync(path.join(tmpdir(), "patrol-monitor-"));
  dirs.push(dir);
  const requests: { since: string; until: string; cursor?: string }[] = [];
  const patrol = new PatrolMonitor({
    dataDir: dir,
    feedNow: () => clock.now,
    requestTracks: (request) => {
      requests.push(request);
      return answer(request);
    },
    log: () => undefined,
  });
  return { patrol, requests, clock };
}

const fix = (at: number): Fix => ["U1", 116.41, 39.91, at, null, 1, 10];

describe("patrol monitor", () => {
  it("keeps its week when a handheld sends a fix from a wrong clock decades ahead", () => {
    const { patrol } = monitor(async () => ({ ok: true, fixes: [] }));
    patrol.recordLive([fix(NOW - 3_600_000), fix(NOW - 1_800_000), fix(Date.parse("2096-01-01T00:00:00Z"))]);
    patrol.prune();
    expect(patrol.store.track("U1")?.length).toBeGreaterThanOrEqual(2);
  });

  it("does not start the backfill again when the feed returns to live while it runs", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { patrol, requests } = monitor(async () => {
      await gate;
      return { ok: true, fixes: [] };
    });
    patrol.onLive(true);
    patrol.onLive(true);
    patrol.onLive(true);
    expect(requests).toHaveLength(1);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The whole week, one window after another, each asked once.
    expect(new Set(requests.map((r) => r.since)).size).toBe(requests.length);
    expect(requests).toHaveLength(28);
  });

  it("asks again, later, for what a refused request left missing, and only for that", async () => {
    let refuse = true;
    const { patrol, requests } = monitor(async () => (refuse ? { ok: false, code: "unavailable", message: "busy" } : { ok: true, fixes: [] }));
    patrol.onLive(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requests).toHaveLength(1);
    refuse = false;
    patrol.maybeCheck(Date.now());
    expect(requests).toHaveLength(1);
    patrol.maybeCheck(Date.now() + 5 * 60_000 + 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requests).toHaveLength(29);
    expect(requests[1]).toEqual(requests[0]);
  });
  it("judges a finished shift again when an earlier day's tracks arrive, while the rest of the week is still being backfilled", async () => {
    // Yesterday's walk, sent again today 07:00-09:00 (finished before NOW); the backfill brings yesterday's piece fifth, then stalls.
    const yesterday = honestWalk(random(7), { from: Date.parse("2026-12-04T07:00:00+08:00"), minutes: 120 });
    const asFixes = (fixes: SyntheticFix[]): Fix[] => fixes.map((f) => ["U1", f.lon, f.lat, f.at, null, 1, f.accuracy]);
    const { patrol, requests } = monitor((request) =>
      requests.length <= 5
        ? Promise.resolve({ ok: true, fixes: asFixes(yesterday.filter((f) => f.at >= Date.parse(request.since) && f.at < Date.parse(request.until))) })
        : new Promise<TracksAnswer>(() => undefined),
    );
    patrol.recordLive(asFixes(replayed(yesterday, 1)));
    // Judged before the older tracks came: nothing to compare with yet.
    patrol.check(NOW);
    expect(patrol.verdictOf("U1")?.reasons ?? []).not.toContain("replay");
    patrol.onLive(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requests).toHaveLength(6);
    patrol.check(NOW + 1);
    expect(patrol.verdictOf("U1")?.verdict).toBe("suspect");
    expect(patrol.verdictOf("U1")?.reasons).toContain("replay");
  });
});
