import { afterEach, describe, expect, it } from "vitest";
import type { CommandResult } from "../shared/protocol/types.js";
import { RecentResults, TokenBucket } from "./limits.js";
import { fixtureLayer } from "./region-synthetic.js";
import { createFeedServer, type FeedServer, type FeedServerOptions } from "./server.js";
import { command, START, connectConsole, connectOutcome, connectTrainer, type Probe, startFeed, TOKEN, TRAINER_TOKEN, until } from "./test-support.js";

/* What one client may cost the reference feed: command rate, message size, open cases, remembered results, the trainer's own token. */

let server: FeedServer | undefined;
const probes: Probe[] = [];
afterEach(async () => {
  for (const probe of probes.splice(0)) probe.close();
  await server?.close();
  server = undefined;
});

async function start(overrides: Partial<FeedServerOptions> = {}): Promise<{ feed: FeedServer; probe: Probe }> {
  const feed = await startFeed(overrides);
  server = feed;
  const probe = connectConsole(feed.url);
  probes.push(probe);
  await probe.next("hello");
  return { feed, probe };
}

function report(feed: FeedServer, n: number, commandId?: string) {
  const [lon, lat] = feed.sim.patrol.members[0]!.grid.centroid;
  return command("report", { ...(commandId ? { commandId } : {}), payload: { clientRef: `flood-${n}`, title: "占道经营", categoryCode: "0501", priority: "low", lon, lat } });
}

describe("token bucket", () => {
  it("allows the burst at once, then the sustained rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 5, perSecond: 2 }, () => now);
    expect(Array.from({ length: 7 }, () => bucket.take())).toEqual([true, true, true, true, true, false, false]);
    now += 1000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now += 60_000;
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});

describe("remembered results", () => {
  it("keeps the newest N first results, oldest forgotten first", () => {
    const ok = (id: string): CommandResult => ({ ok: false, code: "invalid", message: id });
    const results = new RecentResults(3, [["a", ok("a")], ["b", ok("b")]]);
    results.set("c", ok("c"));
    results.set("d", ok("d"));
    expect(results.size).toBe(3);
    expect(results.get("a")).toBeUndefined();
    expect(results.get("b")).toEqual(ok("b"));
    expect(results.get("d")).toEqual(ok("d"));
  });
});

describe("limits on a console", () => {
  it("refuses most of 37,000 reports sent in about a second from one socket as rate limited, and the feed's memory stays bounded", async () => {
    const { feed, probe } = await start();
    const casesBefore = feed.store.incidents.size;
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    let accepted = 0;
    let limited = 0;
    // In flights of 1,000, so that the client's own pending requests do not dominate the heap measured.
    for (let flight = 0; flight < 37; flight++) {
      const answers = await Promise.all(Array.from({ length: 1_000 }, (_, n) => probe.request<CommandResult>("command", report(feed, flight * 1_000 + n), 60_000)));
      for (const answer of answers) {
        if (answer.ok) accepted++;
        else if (answer.code === "invalid" && answer.message === "rate limited") limited++;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    // A burst of 50, then 10 a second for as long as the flood took.
    expect(accepted).toBeGreaterThanOrEqual(50);
    expect(accepted).toBeLessThanOrEqual(50 + Math.ceil(seconds * 10) + 1);
    expect(limited).toBe(37_000 - accepted);
    expect(feed.store.incidents.size - casesBefore).toBe(accepted);
    // Loose (garbage not yet collected counts): ~6 MB measured; unlimited, 37,000 cases and their results stay.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 90_000);

  it("answers a repeated commandId with its first result even while the socket is over its rate", async () => {
    const { feed, probe } = await start({ commandRate: { burst: 2, perSecond: 0.001 } });
    const first = await probe.request<CommandResult>("command", report(feed, 1, "repeat-me"));
    expect(first.ok).toBe(true);
    await probe.request("command", report(feed, 2));
    expect(await probe.request("command", report(feed, 3))).toEqual({ ok: false, code: "invalid", message: "rate limited" });
    expect(await probe.request<CommandResult>("command", report(feed, 1, "repeat-me"))).toEqual({ ...first, duplicate: true });
    // Another socket (the console after a reconnect) has its own bucket and gets the first answer.
    const again = connectConsole(feed.url);
    probes.push(again);
    await again.next("hello");
    expect(await again.request<CommandResult>("command", report(feed, 1, "repeat-me"))).toEqual({ ...first, duplicate: true });
  });

  it("refuses a report while the open-case limit is reached, and takes other commands", async () => {
    const { feed } = await start();
    const open = [...feed.store.incidents.values()].filter((i) => i.status !== "closed" && i.status !== "rejected").length;
    await feed.close();
    const limited = await start({ maxOpenCases: open + 1 });
    expect((await limited.probe.request<CommandResult>("command", report(limited.feed, 1))).ok).toBe(true);
    const refused = await limited.probe.request<CommandResult>("command", report(limited.feed, 2));
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(refused.ok ? "" : refused.message).toMatch(/open cases/);
  });

  it("disconnects a socket that subscribes in a loop (each may cost a snapshot), after a burst no backing-off console reaches", async () => {
    const { probe } = await start();
    const closed = new Promise<string>((resolve) => probe.socket.once("disconnect", resolve));
    const answers = await Promise.allSettled(Array.from({ length: 40 }, () => probe.request("subscribe", {}, 2_000)));
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(20);
    expect(await closed).toBe("io server disconnect");
  });

  it("closes the connection of a client that sends a message over 1 MB, and keeps serving others", async () => {
    const { feed, probe } = await start();
    const closed = new Promise<string>((resolve) => probe.socket.once("disconnect", resolve));
    probe.socket.emit("command", { ...report(feed, 1), padding: "x".repeat(2_000_000) });
    expect(await closed).toMatch(/close/);
    const other = connectConsole(feed.url);
    probes.push(other);
    await other.next("hello");
    expect((await other.request<CommandResult>("command", report(feed, 2))).ok).toBe(true);
  });
});

describe("trainer token", () => {
  it("opens /trainer only with the trainer token, and /console only with the console token", async () => {
    const { feed } = await start();
    const withConsoleToken = connectTrainer(feed.url, TOKEN);
    const withTrainerToken = connectTrainer(feed.url, TRAINER_TOKEN);
    const consoleWithTrainerToken = connectConsole(feed.url, { token: TRAINER_TOKEN, consoleId: "c", protocol: 1 });
    probes.push(withConsoleToken, withTrainerToken, consoleWithTrainerToken);
    expect(await connectOutcome(withConsoleToken)).toBe("unauthorized");
    expect(await connectOutcome(withTrainerToken)).toBe("connected");
    expect(await connectOutcome(consoleWithTrainerToken)).toBe("unauthorized");
  });

  it("defaults to the console token when none is given", async () => {
    const feed = await createFeedServer({ token: TOKEN, seed: 7, region: fixtureLayer(), startAt: START, paused: true });
    server = feed;
    const trainer = connectTrainer(feed.url, TOKEN);
    probes.push(trainer);
    expect(await connectOutcome(trainer)).toBe("connected");
    await until(() => trainer.socket.connected);
  });
});
