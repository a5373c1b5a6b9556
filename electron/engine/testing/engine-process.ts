import { createInterface } from "node:readline";
import { createEngine } from "../index.js";
import { FAST, SETTINGS } from "./harness.js";

/*
 * The engine alone in a process, for the crash test: argv = feedUrl dataDir.
 * Reads command drafts (JSON lines) on stdin and prints one JSON line per
 * event on stdout: {"status": state, "lastSeq"} (what views were shown) and {"queued": commandId, "clientRef"}
 * once a command is journaled.
 */

const [feedUrl = "", dataDir = ""] = process.argv.slice(2);
const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const engine = createEngine({ feedUrl, token: "secret", consoleId: "crash-test", dataDir, settings: SETTINGS, regionLayer: null, timing: FAST });
engine.on("status", (status) => print({ status: status.state, lastSeq: status.lastSeq }));
await engine.start();
print({ started: true });

createInterface({ input: process.stdin }).on("line", (line) => {
  const draft = JSON.parse(line) as Parameters<typeof engine.handlers.sendCommand>[0];
  void engine.handlers.sendCommand(draft).then((result) => {
    if (result.ok) print({ queued: result.value.commandId, clientRef: draft.payload["clientRef"] });
    else print({ error: result.error.message });
  });
});

process.on("SIGTERM", () => {
  void engine.stop().then(() => process.exit(0));
});
