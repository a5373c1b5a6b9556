import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import type { Fix } from "../../../shared/protocol/types.js";
import { makeEngine, tempDir, until } from "../testing/harness.js";
import { MiniFeed, iso, makeUnit, type TracksRequest } from "../testing/mini-feed.js";
import type { ConsoleEngine } from "../engine.js";

/* The track backfill against a real Socket.IO feed: what it asks for, when, and what it keeps. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DAY = 86_400_000;
const parse = (t: string) => Date.parse(t);

/** A platform with one fix a minute for unit U1 at any past time, in pages of 100. */
function platformTracks(request: TracksRequest): unknown {
  const since = parse(request.since);
  const until = parse(request.until);
  const start = request.cursor === undefined ? Math.ceil(since / 60_000) * 60_000 : Number(request.cursor);
  const fixes: Fix[] = [];
  let at = start;
  for (; at < until && fixes.length < 100; at += 60_000) fixes.push(["U1", 116.41 + ((at / 60_000) % 50) * 1e-5, 39.91, at, null, 1, 10]);
  return at < until ? { ok: true, fixes, next: String(at) } : { ok: true, fixes };
}

async function setUp(): Promise<{ feed: MiniFeed; engine: ConsoleEngine; dir: string }> {
  const feed = new MiniFeed({ tracks: platformTracks });
  feed.publish([{ type: "unit.upsert", unit: makeUnit("U1") }]);
  await feed.listen();
  cleanups.push(() => feed.close());
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(feed.url, dir);
  cleanups.push(() => engine.stop());
  await engine.start();
  return { feed, engine, dir };
}

/** The windows asked for, by their first page (a cursor continues a window). */
const windows = (requests: readonly TracksRequest[]) => requests.filter((r) => r.cursor === undefined).map((r) => [parse(r.since), parse(r.until)] as const);

describe("track backfill", () => {
  it("fills the last week at first start, newest first, paging to the end of each window", async () => {
    const { feed, engine } = await setUp();
    await until(() => engine.status().state === "live", "live");
    const hello = parse(feed.hellos[0]!);
    await until(() => windows(feed.trackRequests).length === 28, "28 six-hour windows asked", 20_000);
    const asked = windows(feed.trackRequests);
    // Up to the platform's clock when the console went live: its hello's time and the moment since.
    const liveAt = asked[0]![1];
    expect(liveAt - hello).toBeGreaterThanOrEqual(0);
    expect(liveAt - hello).toBeLessThan(2_000);
    expect(asked.at(-1)![0]).toBe(liveAt - TRACK_DAYS * DAY);
    // Together they cover the week exactly once.
    const sorted = [...asked].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBe(sorted[i - 1]![1]);
    expect(feed.trackRequests.some((r) => r.cursor !== undefined)).toBe(true);
    await until(() => (engine.patrol.store.track("U1")?.length ?? 0) >= TRACK_DAYS * 1440 - 5, "a week of points kept", 20_000);
    // The platform's tracks make patrol visits too: every day of the week has them, not only the live stretch.
    const days = Object.values(engine.coverage.summary(TRACK_DAYS + 1, Date.now()).visitsByDay).filter((grids) => (grids["110101001001001"] ?? 0) > 0);
    expect(days.length).toBeGreaterThanOrEqual(TRACK_DAYS);
  });

  it("after an outage asks for exactly the stretch it missed, and after a restart only for the time it was off", async () => {
    const { feed, engine, dir } = await setUp();
    await until(() => engine.status().state === "live", "live");
    await until(() => windows(feed.trackRequests).length === 28, "the week backfilled", 20_000);
    // A live fix after the stretch began: the live stretch covers up to it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lastLive = Date.now();
    feed.emitRaw("positions", { at: iso(lastLive), fixes: [["U1", 116.41, 39.91, lastLive, null, 1, 10]] });
    await until(() => engine.patrol.store.track("U1")?.at.includes(lastLive) === true, "live fix taken");
    const before = feed.trackRequests.length;
    feed.disconnectAll();
    await until(() => engine.status().state !== "live", "not live");
    await until(() => engine.status().state === "live", "live again");
    await until(() => feed.trackRequests.length > before, "asked after the reconnect");
    const after = windows(feed.trackRequests.slice(before));
    expect(after).toHaveLength(1);
    expect(after[0]![0]).toBe(lastLive);
    expect(after[0]![1] - parse(feed.hellos.at(-1)!)).toBeGreaterThanOrEqual(0);
    expect(after[0]![1] - parse(feed.hellos.at(-1)!)).toBeLessThan(2_000);

    await engine.stop();
    expect(existsSync(join(dir, "tracks.bin"))).toBe(true);
    const restarted = makeEngine(feed.url, dir);
    cleanups.push(() => restarted.stop());
    const asked = feed.trackRequests.length;
    await restarted.start();
    await until(() => restarted.status().state === "live", "live after restart");
    await until(() => feed.trackRequests.length > asked, "asked after the restart");
    const sinceRestart = windows(feed.trackRequests.slice(asked));
    // Only the stretch since the last stop: minutes, not the week.
    expect(sinceRestart).toHaveLength(1);
    expect(sinceRestart[0]![1] - sinceRestart[0]![0]).toBeLessThan(60_000);
    expect(restarted.patrol.store.track("U1")!.length).toBeGreaterThanOrEqual(TRACK_DAYS * 1440 - 5);
    expect(sinceRestart[0]![1] - parse(feed.hellos.at(-1)!)).toBeLessThan(2_000);
  });
});
