import { createFeedServer } from "../feed/server.js";
import type { Fix, Incident, PositionsFrame, Unit } from "../shared/protocol/types.js";
import { toBeijingIso } from "../shared/domain/time.js";

/*
 * Benchmark data from the reference feed server's own generators: its roster
 * (every unit with a last known position) and its cases after a warm-up, at
 * street, district or city scale. Frames and deltas are then made from those
 * records in the protocol's exact shapes, so every run measures the same
 * amount of work instead of whatever the simulation happened to emit.
 */

export type Scale = "street" | "district" | "city";
export type World = { scale: Scale; units: Unit[]; incidents: Incident[]; epoch: string };

const worlds = new Map<Scale, Promise<World>>();

/** The feed's roster and cases at `scale` (built once per run; city takes ~30 s, mostly its 30,000-grid layer). */
export function world(scale: Scale): Promise<World> {
  let found = worlds.get(scale);
  if (!found) {
    found = (async () => {
      const warmupHours = scale === "city" ? 1 : 6;
      const feed = await createFeedServer({ token: "bench", scale, seed: 7, warmupHours, autopilot: true, startAt: Date.parse("2026-11-20T10:00:00+08:00"), paused: true, positionsMs: 3_600_000, tickMs: 3_600_000, heartbeatMs: 3_600_000 });
      try {
        return { scale, units: [...feed.store.units.values()], incidents: [...feed.store.incidents.values()], epoch: feed.store.epoch };
      } finally {
        await feed.close();
      }
    })();
    worlds.set(scale, found);
  }
  return found;
}

import { random } from "../electron/engine/testing/random.js";

export { random };

/**
 * `count` positions frames of `fixesPerFrame` fixes each, as the feed sends
 * them once a second: the next units of the roster in turn, each a few metres
 * on from where it was, stamped one second after the previous frame (the
 * latest-fix-wins rule must keep every one of them).
 */
export function positionFrames(units: readonly Unit[], fixesPerFrame: number, count: number, startMs: number): PositionsFrame[] {
  const next = random(11);
  const where = units.map((u) => [u.lastFix?.lon ?? 116.4 + next() * 0.1, u.lastFix?.lat ?? 39.9 + next() * 0.1] as [number, number]);
  const frames: PositionsFrame[] = [];
  let cursor = 0;
  for (let f = 0; f < count; f++) {
    const at = startMs + f * 1000;
    const fixes: Fix[] = [];
    for (let i = 0; i < fixesPerFrame; i++) {
      const index = cursor++ % units.length;
      const unit = units[index] as Unit;
      const place = where[index] as [number, number];
      place[0] += (next() - 0.5) * 2e-4;
      place[1] += (next() - 0.5) * 2e-4;
      fixes.push([unit.id, round6(place[0]), round6(place[1]), at - Math.floor(next() * 900), Math.floor(next() * 360), round1(0.8 + next() * 0.6), Math.floor(4 + next() * 16)]);
    }
    frames.push({ at: toBeijingIso(at), fixes });
  }
  return frames;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const round1 = (n: number) => Math.round(n * 10) / 10;

const NEXT_STATUS: Partial<Record<Incident["status"], Incident["status"]>> = { reported: "registered", registered: "dispatched", dispatched: "processing", processing: "responded" };

/**
 * `count` deltas continuing `epoch` after `fromSeq`, one `incident.upsert`
 * each: a case of the feed's moving one step on (version + 1, a new history
 * entry), as the platform's department moves look on the wire.
 */
export function incidentDeltas(incidents: readonly Incident[], epoch: string, fromSeq: number, count: number, startMs: number): { epoch: string; seq: number; at: string; events: { type: "incident.upsert"; incident: Incident }[] }[] {
  if (incidents.length === 0) throw new Error("the feed generated no cases to move");
  const latest = new Map<string, Incident>();
  const out = [];
  for (let i = 0; i < count; i++) {
    const base = incidents[i % incidents.length] as Incident;
    const previous = latest.get(base.id) ?? base;
    const at = toBeijingIso(startMs + i * 10);
    const status = NEXT_STATUS[previous.status] ?? previous.status;
    const history = [...previous.history, { at, action: status === previous.status ? "urge" : status, actor: "bench" }].slice(-50);
    const incident: Incident = { ...previous, version: previous.version + 1, status, updatedAt: at, history };
    latest.set(base.id, incident);
    out.push({ epoch, seq: fromSeq + i + 1, at, events: [{ type: "incident.upsert" as const, incident }] });
  }
  return out;
}

export type Place = { gridCode: string; lon: number; lat: number };

/** `count` cases cloned from the feed's (new ids, spread over `places`), for caches bigger than a warm-up makes. */
export function manyIncidents(templates: readonly Incident[], count: number, places: readonly Place[], nowMs: number): Incident[] {
  const next = random(5);
  const out: Incident[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length] as Incident;
    const place = places.length > 0 ? (places[i % places.length] as Place) : template;
    const updatedAt = toBeijingIso(nowMs - Math.floor(next() * 7 * 86_400_000));
    out.push({ ...template, id: `BJ${String(i).padStart(9, "0")}`, gridCode: place.gridCode, lon: place.lon, lat: place.lat, updatedAt });
  }
  return out;
}
