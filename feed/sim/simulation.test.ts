import { describe, expect, it } from "vitest";
import type { Delta, Fix, Incident } from "../../shared/protocol/types.js";
import { beijingParts } from "../../shared/domain/time.js";
import { incident as incidentSchema, unit as unitSchema } from "../../shared/protocol/schemas.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { loadReference } from "../resources.js";
import { createRng } from "../rng.js";
import { FeedStore } from "../store.js";
import { SimClock } from "./clock.js";
import { Simulation } from "./simulation.js";

/*
 * The simulation over a simulated day of a 36-grid street (about the size of
 * 东直门街道): repeatable by seed, and shaped like a real street.
 */

const reference = loadReference();
const START = Date.parse("2026-11-20T00:00:00+08:00"); // a Friday

function runDay(seed: number, hours = 24, autopilot = true) {
  const region = regionFromCollection(fixtureLayer({ communities: 4, side: 3 }));
  const clock = new SimClock(START, 1);
  clock.pause();
  const holder: { sim?: Simulation } = {};
  const store = new FeedStore(() => holder.sim?.now() ?? START);
  const deltas: Delta[] = [];
  store.onDelta((d) => deltas.push(d));
  const sim = new Simulation(store, region, reference.categories, reference.departments, clock, createRng(seed), { scale: "street", autopilot, casesPerGridDay: 3, seed });
  holder.sim = sim;
  sim.start(false);
  const fixes: Fix[] = [];
  for (let minute = 0; minute < hours * 60; minute++) {
    for (let s = 0; s < 2; s++) {
      clock.skip(30_000);
      sim.tick();
    }
    fixes.push(...sim.takeFixes());
  }
  const created = new Map<string, Incident>();
  for (const d of deltas) for (const e of d.events) if (e.type === "incident.upsert" && e.incident.version === 1) created.set(e.incident.id, e.incident);
  return { sim, store, deltas, fixes, created: [...created.values()], region };
}

const day = runDay(11);

describe("simulation", () => {
  it("repeats exactly with the same seed and differs with another", () => {
    const again = runDay(11, 6);
    const other = runDay(12, 6);
    const titles = (run: ReturnType<typeof runDay>) => run.created.filter((i) => Date.parse(i.createdAt) < START + 6 * 3600_000).map((i) => `${i.id} ${i.title}`);
    expect(titles(again)).toEqual(titles(day));
    expect(titles(other)).not.toEqual(titles(day));
  });

  it("produces only messages the contract accepts", () => {
    for (const incident of day.store.incidents.values()) expect(incidentSchema.safeParse(incident).success).toBe(true);
    for (const unit of day.store.units.values()) expect(unitSchema.safeParse(unit).success).toBe(true);
    const seqs = day.deltas.map((d) => d.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it("brings about the expected number of cases, with hawkers in the evening rather than at night", () => {
    // 36 grids × 3 cases a day, give or take the Poisson spread.
    expect(day.created.length).toBeGreaterThan(70);
    expect(day.created.length).toBeLessThan(150);
    const hour = (i: Incident) => beijingParts(Date.parse(i.createdAt)).hour;
    const streetOrder = day.created.filter((i) => i.category.code.startsWith("05"));
    expect(streetOrder.filter((i) => hour(i) >= 17 && hour(i) < 22).length).toBeGreaterThan(streetOrder.filter((i) => hour(i) < 5).length * 2);
  });

  it("gives hotline and app cases a resident with a phone, and patrol cases the reporting unit", () => {
    for (const incident of day.created) {
      if (incident.source === "patrol") expect(incident.reporter?.unitId).toBeTruthy();
      else expect(incident.reporter?.phone).toMatch(/^1\d{10}$/);
    }
    expect(new Set(day.created.map((i) => i.source))).toEqual(new Set(["patrol", "hotline", "resident_app"]));
  });

  it("moves cases through departments, with some answers poor and some late", () => {
    const moves = day.deltas.flatMap((d) => d.events).flatMap((e) => (e.type === "incident.upsert" ? [e.incident.history.at(-1)?.action] : []));
    for (const action of ["register", "dispatch", "process", "respond", "close"]) expect(moves).toContain(action);
    const responses = day.deltas.flatMap((d) => d.events).flatMap((e) => (e.type === "incident.upsert" && e.incident.history.at(-1)?.action === "respond" ? [e.incident] : []));
    const poor = responses.filter((i) => ["已处理", "已转相关单位", "已联系当事人", "情况属实，正在协调", "已告知"].includes(i.history.at(-1)?.note ?? ""));
    expect(poor.length).toBeGreaterThan(0);
    expect(poor.length).toBeLessThan(responses.length / 2);
    const late = responses.filter((i) => Date.parse(i.updatedAt) > Date.parse(i.respondBy!));
    const lateWarnings = day.deltas.flatMap((d) => d.events).filter((e) => e.type === "alert" && e.alert.title.startsWith("案件超时未反馈"));
    expect(late.length + lateWarnings.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(responses.length / 3);
    // Reports the autopilot leaves wait for this console's operator.
    expect([...day.store.incidents.values()].some((i) => i.status === "reported")).toBe(true);
  });

  it("keeps patrol fixes inside their own grid, and sends day staff home at night while police keep watch", () => {
    const grids = new Map(day.region.grids.map((g) => [g.code, g]));
    const margin = 0.0015;
    const byUnit = new Map<string, number[]>();
    for (const [id, lon, lat, at] of day.fixes) {
      const grid = grids.get(day.store.units.get(id)!.gridCode)!;
      expect(lon).toBeGreaterThan(grid.bbox[0] - margin);
      expect(lon).toBeLessThan(grid.bbox[2] + margin);
      expect(lat).toBeGreaterThan(grid.bbox[1] - margin);
      expect(lat).toBeLessThan(grid.bbox[3] + margin);
      byUnit.set(id, [...(byUnit.get(id) ?? []), at]);
    }
    expect(byUnit.size).toBeGreaterThan(50);
    const night = runDay(11, 3);
    const managers = [...night.store.units.values()].filter((u) => u.role === "grid_manager");
    expect(managers.every((u) => u.status === "off_duty")).toBe(true);
    const police = [...night.store.units.values()].filter((u) => u.role === "grid_police");
    expect(police.some((u) => u.status !== "off_duty")).toBe(true);
  });

  it("advance refuses a case no department holds, and sos raises a critical alert", () => {
    const reported = [...day.store.incidents.values()].find((i) => i.status === "reported")!;
    expect(() => day.sim.advance(reported.id)).toThrow(/cannot move/);
    const before = day.deltas.length;
    const unit = day.sim.sos();
    expect(unit.status).toBe("sos");
    expect(day.deltas.slice(before).flatMap((d) => d.events).some((e) => e.type === "alert" && e.alert.level === "critical" && e.alert.unitId === unit.id)).toBe(true);
  });
});
