import { MiniFeed, makeIncident } from "./mini-feed.js";

/*
 * A MiniFeed in a process of its own, for the frame-size tests: the 50 MB
 * frame it sends is built here, so the test's process measures only what the
 * console's side holds. argv[2]: the server's transports ("websocket,polling"
 * or "polling"); argv[3] "deflate" compresses frames (permessage-deflate). Told over IPC: { big: bytes } sends a delta of about that
 * size that the feed does not keep (its seq is then taken by the next real
 * one); { upsert: id } publishes a case. Answers { url } once listening, then
 * { done } after each request; { polling } counts the long-polling requests
 * it saw, { transports } the transports consoles connected with.
 */

const transports = (process.argv[2] ?? "websocket,polling").split(",") as ("websocket" | "polling")[];
const server = new MiniFeed({ transports, perMessageDeflate: process.argv[3] === "deflate" });
let polling = 0;
server.onRequest((url) => {
  if (url.includes("transport=polling")) polling++;
});
server.upsert(makeIncident("A", 1));
const send = (message: Record<string, unknown>): void => void process.send?.(message);

process.on("message", (message: { big?: number; upsert?: string; count?: true }) => {
  if (message.big !== undefined) {
    const incident = makeIncident("BIG", 1, { description: "x".repeat(message.big) });
    server.emitRaw("delta", { epoch: server.epoch, seq: server.seq + 1, at: new Date().toISOString(), events: [{ type: "incident.upsert", incident }] });
  }
  if (message.upsert !== undefined) server.upsert(makeIncident(message.upsert, 1));
  send({ done: true, polling, transports: server.transportsSeen, seq: server.seq });
});

process.on("disconnect", () => void server.close().then(() => process.exit(0)));
send({ url: await server.listen() });
