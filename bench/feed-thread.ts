import { parentPort, workerData } from "node:worker_threads";
import type { FeedEvent } from "../shared/protocol/types.js";
import { MiniFeed } from "../electron/engine/testing/mini-feed.js";

/*
 * The feed for the host suite (./host.ts), on a thread of its own so that
 * encoding and sending deltas never shows in the measured thread's event
 * loop: a MiniFeed on the bench world's epoch (a seeded cache resumes from
 * it with no snapshot), publishing the deltas it is given at a fixed rate.
 */

type Start = { epoch: string; token: string };
type Command = { type: "publish"; deltas: FeedEvent[][]; perTick: number; tickMs: number } | { type: "close" };

const port = parentPort;
if (port === null) throw new Error("bench/feed-thread.ts runs as a worker thread");
const start = workerData as Start;
const feed = new MiniFeed({ epoch: start.epoch, token: start.token, heartbeatMs: 1_000 });
const url = await feed.listen();
port.postMessage({ type: "ready", url });

port.on("message", (command: Command) => {
  if (command.type === "close") {
    void feed.close().then(() => port.postMessage({ type: "closed" }));
    return;
  }
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < command.perTick && next < command.deltas.length; i++) feed.publish(command.deltas[next++] ?? []);
    if (next >= command.deltas.length) {
      clearInterval(timer);
      port.postMessage({ type: "published", seq: feed.seq });
    }
  }, command.tickMs);
});
