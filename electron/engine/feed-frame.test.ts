import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleEngine } from "./engine.js";
import { FEED_MAX_FRAME_BYTES } from "./sync.js";
import { makeEngine, tempDir, until } from "./testing/harness.js";

/*
 * Issue 16: a 50 MB frame from the feed is refused without the console's memory growing past its limit.
 * The feed runs in a process of its own (testing/big-frame-feed.ts, a real Socket.IO server), so what this
 * process holds is the console's side only.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Answer = { url?: string; done?: boolean; polling: number; transports: string[]; seq: number };
type Feed = { url: string; ask: (message: Record<string, unknown>) => Promise<Answer> };

const MB = 1024 * 1024;
const FRAME_BYTES = 50 * MB;
/** What the console may grow by around the frame: the frame itself (50 MB, twice that as a string) must not fit in it. */
const GROWTH_LIMIT = 96 * MB;

async function startFeed(transports: string, compression: "plain" | "deflate" = "plain"): Promise<Feed> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./testing/big-frame-feed.ts", import.meta.url)), [transports, compression], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  );
  const next = (): Promise<Answer> =>
    new Promise((resolve, reject) => {
      child.once("message", (message) => resolve(message as Answer));
      child.once("exit", (code) => reject(new Error(`the feed process exited (${code})`)));
    });
  const first = await next();
  if (!first.url) throw new Error("the feed process did not say its URL");
  return {
    url: first.url,
    ask: (message) => {
      const answer = next();
      child.send(message);
      return answer;
    },
  };
}

/** The collector, if this process may have it: vitest's fork is not started with --expose-gc. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  return typeof gc === "function" ? gc : () => undefined;
}

type Memory = { rss: number; held: number };
const memory = (): Memory => {
  const usage = process.memoryUsage();
  // external includes arrayBuffers (Buffers): the bytes read off the socket are there.
  return { rss: usage.rss, held: usage.heapUsed + usage.external };
};

function engineFor(url: string): ConsoleEngine {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(url, dir);
  cleanups.push(() => engine.stop());
  return engine;
}

describe("a feed frame past the size cap", () => {
  it.each([
    ["plain", "of 50 MB over WebSocket is refused unread"],
    ["deflate", "of 50 MB sent compressed (permessage-deflate, a small frame on the wire) is refused once inflating passes the cap"],
  ] as const)("%s: %s: counted, the console reconnects and catches up, nothing of it applied, memory within its limit", async (compression, _what) => {
    const feed = await startFeed("websocket,polling", compression);
    const engine = engineFor(feed.url);
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === 1, "live and caught up");
    const gc = collector();
    gc();
    const baseline = memory();
    let peak = baseline;
    const sampler = setInterval(() => {
      const now = memory();
      peak = { rss: Math.max(peak.rss, now.rss), held: Math.max(peak.held, now.held) };
    }, 2);
    cleanups.push(() => clearInterval(sampler));
    const states: string[] = [];
    engine.on("status", (status) => void states.push(status.state));

    const sent = await feed.ask({ big: FRAME_BYTES });
    expect(sent.seq).toBe(1);
    await until(() => engine.sync.dropped["frame.too_large"] === 1, "the frame counted as refused", 20_000);
    await until(() => engine.status().state === "live", "live again", 20_000);
    // What comes after the refused frame applies, in order: the seq the big one claimed goes to a real delta.
    const after = await feed.ask({ upsert: "B" });
    await until(() => engine.replica.meta.lastSeq === after.seq, "caught up after the refusal", 20_000);
    clearInterval(sampler);
    peak = { rss: Math.max(peak.rss, memory().rss), held: Math.max(peak.held, memory().held) };

    expect(states).toContain("offline");
    expect(engine.replica.incidents.has("BIG")).toBe(false);
    expect([...engine.replica.incidents.keys()].sort()).toEqual(["A", "B"]);
    expect(engine.replica.meta.lastSeq).toBe(2);
    expect(new Set(sent.transports)).toEqual(new Set([compression === "deflate" ? "websocket+permessage-deflate" : "websocket"]));
    expect(peak.held - baseline.held).toBeLessThan(GROWTH_LIMIT);
    expect(peak.rss - baseline.rss).toBeLessThan(GROWTH_LIMIT);
    expect(FRAME_BYTES).toBeGreaterThan(FEED_MAX_FRAME_BYTES);
  }, 60_000);

  it("cannot come over HTTP long-polling: the console connects by WebSocket only, and a feed offering only polling is never polled", async () => {
    const both = await startFeed("websocket,polling");
    const engine = engineFor(both.url);
    await engine.start();
    await until(() => engine.status().state === "live", "live");
    const seen = await both.ask({});
    expect(seen.transports).toEqual(["websocket"]);
    expect(seen.polling).toBe(0);

    const pollingOnly = await startFeed("polling");
    const refused = engineFor(pollingOnly.url);
    await refused.start();
    await until(() => refused.status().reason?.code === "unreachable", "the connection failed", 10_000);
    const answer = await pollingOnly.ask({ big: FRAME_BYTES });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await pollingOnly.ask({})).polling).toBe(0);
    expect(answer.transports).toEqual([]);
    expect(refused.status().state).toBe("offline");
    expect(refused.replica.incidents.size).toBe(0);
  }, 60_000);
});
