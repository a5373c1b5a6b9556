import { io, type Socket } from "socket.io-client";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDelta, parseHeartbeat, parsePositions, parseSnapshot } from "../shared/protocol/validate.js";
import type { Incident } from "../shared/protocol/types.js";
import { deadlineState, indexCategories } from "../shared/domain/deadlines.js";
import { parseCategories } from "../shared/domain/reference.js";
import { DEFAULT_RESOURCES_DIR } from "./resources.js";
import { createFeedServer, type FeedServer } from "./server.js";

/*
 * Watches a feed as a plain console would and prints what happened, for a
 * domain expert to judge: `node --import tsx feed/summarize.ts [--url <u> --token <t>] [--seconds 60]`.
 * Without --url it starts its own district-scale server at speed 60 (seed 7).
 */

type Args = { url?: string; token: string; seconds: number; scale: "street" | "district" | "city"; speed: number; seed: number };

function parse(argv: string[]): Args {
  const get = (flag: string) => {
    const i = argv.indexOf(`--${flag}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const args: Args = {
    token: get("token") ?? "summary",
    seconds: Number(get("seconds") ?? 60),
    scale: (get("scale") as Args["scale"] | undefined) ?? "district",
    speed: Number(get("speed") ?? 60),
    seed: Number(get("seed") ?? 7),
  };
  const url = get("url");
  if (url) args.url = url;
  return args;
}

const count = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const table = (title: string, map: Map<string, number>, header: string) =>
  [`${title}`, "", `| ${header} | count |`, "|---|---:|", ...[...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n");

export async function summarize(args: Args): Promise<string> {
  let server: FeedServer | undefined;
  let url = args.url;
  if (!url) {
    server = await createFeedServer({ token: args.token, scale: args.scale, speed: args.speed, seed: args.seed, autopilot: true, warmupHours: 8, startAt: Date.parse("2026-11-20T17:00:00+08:00") });
    url = server.url;
  }
  const categories = indexCategories(parseCategories(readFileSync(join(DEFAULT_RESOURCES_DIR, "data", "event-categories.csv"), "utf8")));
  const incidents = new Map<string, Incident>();
  const created = new Map<string, number>();
  const sources = new Map<string, number>();
  const moves = new Map<string, number>();
  const alerts = new Map<string, number>();
  const unitMoves = new Map<string, number>();
  let deltas = 0;
  let fixes = 0;
  let frames = 0;
  let invalid = 0;
  let serverTime = 0;
  let firstTime = 0;

  const socket: Socket = io(`${url}/console`, { auth: { token: args.token, consoleId: "summary", protocol: 1 }, transports: ["websocket"] });
  socket.on("hello", () => socket.emit("subscribe", {}, () => undefined));
  socket.on("snapshot", (raw: unknown) => {
    const part = parseSnapshot(raw);
    if (!part.ok) return void invalid++;
    for (const incident of part.value.incidents) incidents.set(incident.id, incident);
  });
  socket.on("heartbeat", (raw: unknown) => {
    const hb = parseHeartbeat(raw);
    if (hb.ok) serverTime = Date.parse(hb.value.serverTime);
  });
  socket.on("positions", (raw: unknown) => {
    const frame = parsePositions(raw);
    if (!frame.ok) return void invalid++;
    frames++;
    fixes += frame.value.fixes.length;
  });
  socket.on("delta", (raw: unknown) => {
    const delta = parseDelta(raw);
    if (!delta.ok) return void invalid++;
    deltas++;
    serverTime = Date.parse(delta.value.at);
    firstTime ||= serverTime;
    for (const event of delta.value.events) {
      if (event.type === "incident.upsert") {
        const before = incidents.get(event.incident.id);
        const after = event.incident;
        if (!before) {
          count(created, `${after.category.code} ${after.category.major}/${after.category.minor}`);
          count(sources, after.source);
        } else if (before.status !== after.status) count(moves, `${before.status} → ${after.status}`);
        else count(moves, `${after.status} (${after.history[after.history.length - 1]?.action ?? "?"})`);
        incidents.set(after.id, after);
      } else if (event.type === "incident.archived") {
        incidents.delete(event.id);
        count(moves, "archived");
      } else if (event.type === "alert") count(alerts, `${event.alert.level}: ${event.alert.title.replace(/[：:].*$/, "").replace(/^.*(发出SOS求助|SOS求助已解除)$/, "$1")}`);
      else if (event.type === "unit.upsert") count(unitMoves, event.unit.status);
    }
  });

  await new Promise((resolve) => setTimeout(resolve, args.seconds * 1000));
  socket.close();
  await server?.close();

  const open = [...incidents.values()].filter((i) => i.status !== "closed" && i.status !== "rejected");
  const overdue = open.filter((i) => deadlineState(i, categories, serverTime).overdue).length;
  const byStatus = new Map<string, number>();
  for (const i of incidents.values()) count(byStatus, i.status);
  const simMinutes = Math.round((serverTime - firstTime) / 60_000);
  return [
    `## ${args.seconds} s of the feed (${args.scale}, speed ${args.speed}, seed ${args.seed}): about ${simMinutes} simulated minutes`,
    "",
    `- deltas: ${deltas}; positions frames: ${frames} carrying ${fixes} fixes; invalid messages: ${invalid}`,
    `- live cases at the end: ${incidents.size}; open: ${open.length}; overdue among open: ${overdue} (${open.length ? ((100 * overdue) / open.length).toFixed(1) : "0"} %)`,
    "",
    table("New cases by category:", created, "category"),
    table("New cases by source:", sources, "source"),
    table("Status moves:", moves, "move"),
    table("Live cases by status at the end:", byStatus, "status"),
    table("Alerts:", alerts, "alert"),
    table("Unit status changes:", unitMoves, "new status"),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  summarize(parse(process.argv.slice(2))).then(
    (text) => {
      process.stdout.write(`${text}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
