import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../shared/protocol/limits.js";
import type { Fix, Hello } from "../shared/protocol/types.js";
import { parseHello, parsePositions, parseTracksReply } from "../shared/protocol/validate.js";
import { toBeijingIso } from "../shared/domain/time.js";
import { plantedFraud, simulatedPatrol } from "./ground-truth.js";
import { fixtureLayer } from "./region-synthetic.js";
import type { FeedServer } from "./server.js";
import { connectConsole, connectTrainer, type Probe, START, startFeed } from "./test-support.js";

/*
 * PROTOCOL.md, `hello.capabilities` and the `tracks` request, on the wire:
 * strict validation, pages of at most 20,000 fixes in time order with a
 * cursor, the 8-day reach, and that the recorded fixes are exactly the ones
 * that went out live.
 */

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function feed(options: Parameters<typeof startFeed>[0] = {}): Promise<FeedServer> {
  const server = await startFeed(options);
  open.push(server);
  return server;
}

async function consoleOf(server: FeedServer): Promise<{ probe: Probe; hello: Hello }> {
  const probe = connectConsole(server.url);
  open.push(probe);
  const parsed = parseHello(await probe.next("hello"));
  if (!parsed.ok) throw new Error(`bad hello: ${parsed.error.path}`);
  return { probe, hello: parsed.value };
}

const HOUR = 3600_000;
const iso = (at: number) => toBeijingIso(at);

type Reply = { ok: true; fixes: Fix[]; next?: string } | { ok: false; code: string; message: string };

async function tracks(probe: Probe, request: Record<string, unknown>): Promise<Reply> {
  const parsed = parseTracksReply(await probe.request("tracks", request, 20_000));
  if (!parsed.ok) throw new Error(`bad tracks reply: ${parsed.error.path} ${parsed.error.reason}`);
  expect(parsed.dropped ?? 0).toBe(0);
  return parsed.value;
}

/** Every page of a request, following `next`. */
async function allPages(probe: Probe, request: Record<string, unknown>): Promise<Fix[][]> {
  const pages: Fix[][] = [];
  let cursor: string | undefined;
  do {
    const reply = await tracks(probe, cursor ? { ...request, cursor } : request);
    if (!reply.ok) throw new Error(`refused: ${reply.message}`);
    pages.push(reply.fixes);
    cursor = reply.next;
  } while (cursor);
  return pages;
}

describe("capabilities", () => {
  it("lists tracks in hello and answers it", async () => {
    const { probe, hello } = await consoleOf(await feed());
    expect(hello.capabilities).toEqual(["tracks"]);
    expect(await tracks(probe, { since: iso(START - HOUR), until: iso(START) })).toMatchObject({ ok: true });
  });

  it("without tracks, lists none and refuses the request as unavailable", async () => {
    const { probe, hello } = await consoleOf(await feed({ tracks: false }));
    expect(hello.capabilities).toBeUndefined();
    expect(await tracks(probe, { since: iso(START - HOUR), until: iso(START) })).toMatchObject({ ok: false, code: "unavailable" });
  });
});

describe("tracks request validation", () => {
  const window = { since: iso(START - HOUR), until: iso(START) };

  it("refuses bad dates, an until before since, a window more than 8 days back and too many units as invalid", async () => {
    const { probe } = await consoleOf(await feed());
    const refusals = [
      undefined,
      { ...window, since: "2026-11-20" },
      { ...window, until: "2026-13-40T00:00:00+08:00" },
      { since: window.until, until: window.since },
      { since: iso(START - 8 * 24 * HOUR - 60_000), until: window.until },
      { ...window, unitIds: Array.from({ length: LIMITS.tracksUnitIds + 1 }, (_, i) => `U${i}`) },
      { ...window, unitIds: "U1" },
      { ...window, cursor: "not-a-cursor" },
      { ...window, cursor: "" },
    ];
    for (const request of refusals) expect(await tracks(probe, request as Record<string, unknown>)).toMatchObject({ ok: false, code: "invalid" });
  });

  it("ignores unknown fields and answers an empty window, or units it does not know, with no fixes", async () => {
    const { probe } = await consoleOf(await feed());
    expect(await tracks(probe, { ...window, detail: "full" })).toMatchObject({ ok: true });
    expect(await tracks(probe, { since: window.until, until: window.until })).toEqual({ ok: true, fixes: [] });
    expect(await tracks(probe, { ...window, unitIds: ["nobody"] })).toEqual({ ok: true, fixes: [] });
  });

  it("answers fixes recorded so far only: a window reaching into the future ends at the server's now", async () => {
    const { probe } = await consoleOf(await feed());
    const reply = await tracks(probe, { since: iso(START - 10 * 60_000), until: iso(START + HOUR) });
    expect(reply.ok && reply.fixes.length).toBeGreaterThan(0);
    expect(reply.ok && reply.fixes.every((fix) => fix[3] <= START)).toBe(true);
  });
});

describe("tracks pages", () => {
  const since = START - 2 * 24 * HOUR;
  const request = { since: iso(since), until: iso(START) };

  it("pages two days in time order, at most 20,000 a page, every fix once, the same fixes as the simulation computes", async () => {
    const server = await feed();
    const { probe } = await consoleOf(server);
    const pages = await allPages(probe, request);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(LIMITS.fixesPerTracksReply);
    const fixes = pages.flat();
    for (let i = 1; i < fixes.length; i++) expect(fixes[i]![3]).toBeGreaterThanOrEqual(fixes[i - 1]![3]);
    expect(fixes.every((fix) => fix[3] >= since && fix[3] < START)).toBe(true);
    expect(new Set(fixes.map((fix) => `${fix[0]}@${fix[3]}`)).size).toBe(fixes.length);
    const computed = await simulatedPatrol({ seed: 7, region: fixtureLayer(), fraudShare: 0 });
    expect(fixes).toEqual([...computed.fixes(since, START)].flat());
  });

  it("continues from a cursor on a server that does not hold the request open (restarted), with the same page", async () => {
    const first = await feed();
    const { probe } = await consoleOf(first);
    const page1 = await tracks(probe, request);
    const page2 = await tracks(probe, { ...request, cursor: page1.ok ? page1.next : undefined });
    const restarted = await feed();
    const { probe: other } = await consoleOf(restarted);
    expect(await tracks(other, { ...request, cursor: page1.ok ? page1.next : undefined })).toEqual(page2);
    // A cursor answers only the request it came from.
    expect(await tracks(probe, { since: iso(since + 60_000), until: iso(START), cursor: page1.ok ? page1.next : undefined })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("gives only the asked-for units", async () => {
    const server = await feed();
    const { probe } = await consoleOf(server);
    const unitIds = server.sim.patrol.members.slice(0, 3).map((m) => m.unit.id);
    const fixes = (await allPages(probe, { ...request, unitIds })).flat();
    expect(fixes.length).toBeGreaterThan(1000);
    expect(new Set(fixes.map((fix) => fix[0])).size).toBeGreaterThan(1);
    expect(fixes.every((fix) => unitIds.includes(fix[0]))).toBe(true);
  });
});

describe("recorded fixes", () => {
  it("are exactly the fixes that went out live as positions", async () => {
    const server = await feed({ paused: false, speed: 120, positionsMs: 100, tickMs: 50 });
    const { probe } = await consoleOf(server);
    await probe.request("subscribe", {});
    await probe.next("positions");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.sim.clock.pause();
    const live = probe.of("positions").flatMap((raw) => {
      const parsed = parsePositions(raw);
      return parsed.ok ? parsed.value.fixes : [];
    });
    expect(live.length).toBeGreaterThan(20);
    const recorded = (await allPages(probe, { since: iso(START - 60_000), until: iso(server.sim.now() + 1) })).flat();
    const byKey = new Map(recorded.map((fix) => [`${fix[0]}@${fix[3]}`, fix]));
    for (const fix of live) expect(byKey.get(`${fix[0]}@${fix[3]}`)).toEqual(fix);
  });
});

describe("planted fraud", () => {
  it("the trainer's planted list names the planted staff, the same as plantedFraud() for the same seed and share", async () => {
    const server = await feed({ fraudShare: 0.3 });
    const trainer = connectTrainer(server.url);
    open.push(trainer);
    const reply = await trainer.request<{ ok: true; planted: { unitId: string; kind: string; twinOf?: string }[] }>("planted");
    expect(reply.ok).toBe(true);
    expect(new Set(reply.planted.map((p) => p.kind))).toEqual(new Set(["stationary", "speed", "twin", "replay"]));
    expect(reply.planted).toEqual(await plantedFraud({ seed: 7, region: fixtureLayer(), fraudShare: 0.3 }));
    const honest = await feed();
    const other = connectTrainer(honest.url);
    open.push(other);
    expect(await other.request("planted")).toEqual({ ok: true, planted: [] });
  });

  it("refuses a share outside 0..1", async () => {
    await expect(startFeed({ fraudShare: 1.5 })).rejects.toThrow(RangeError);
  });
});
