import { describe, expect, it } from "vitest";
import path from "node:path";
import type { Situation } from "../../../shared/domain/situation.js";
import { computeSituation } from "../../../shared/domain/situation.js";
import { maskName } from "../../../shared/domain/masking.js";
import { toBeijingIso } from "../../../shared/domain/time.js";
import { INCIDENTS, NOW } from "../../../shared/domain/fixtures/kpi-fixture.js";
import { archivedCase } from "../archived.js";
import { makeIncident } from "../testing/mini-feed.js";
import { until } from "../testing/harness.js";
import { engineTestScope } from "../testing/scope.js";
import { EngineSituation } from "./engine-situation.js";

/*
 * The situation in a running engine: worked out from the replica and the
 * archived cases, in the first state a page gets, pushed as cases change
 * (a case the platform archives keeps counting), and worked out again at
 * most once a second after changes and on each whole minute.
 */

const { feed, engineFor, directory } = engineTestScope();
const SETTINGS = { categories: [], departments: [] };

describe("the engine's situation", () => {
  it("is in the first state a page gets, and pushed when a case closes; an archived case keeps counting", async () => {
    const server = await feed();
    const now = Date.now();
    const created = toBeijingIso(now - 60_000);
    server.upsert(makeIncident("A", 1, { createdAt: created, updatedAt: created, history: [{ at: created, action: "report", actor: "patrol" }] }));
    // A hotline operator typed the caller's name and number into the title: the notable list masks both.
    server.upsert(makeIncident("B", 1, { priority: "urgent", title: "王建国来电 13912345678 反映占道经营", reporter: { name: "王建国", phone: "13912345678" }, createdAt: created, updatedAt: created, history: [{ at: created, action: "report", actor: "patrol" }] }));
    const engine = engineFor(server.url, path.join(directory(), "data"));
    const pushed: Situation[] = [];
    engine.on("situation", (situation) => pushed.push(situation));
    await engine.start();
    // Filed by the situation and counted by the grid counter (which takes a tick's changes: a page may open between).
    await until(() => engine.replica.incidents.size === 2 && !engine.situation.loading && engine.gridCounts.notable(5)?.length === 1, "both cases, filed and counted");
    const first = engine.initialState().situation!;
    const reference = computeSituation(new Map([...engine.replica.incidents].map(([id, incident]) => [id, archivedCase(incident)])), engine.replica.units, { categories: engine.options.settings.categories, departments: engine.options.settings.departments }, new Map(), first.now);
    const { notable, ...figures } = first;
    expect(figures).toEqual(reference);
    // The notable cases go with it (the urgent one), chosen by the engine's grid counter.
    expect(notable?.map((c) => [c.id, c.priority, c.overdue])).toEqual([["B", "urgent", false]]);
    expect(notable?.[0]?.title).toBe(`${maskName("王建国")}来电 139****5678 反映占道经营`);
    expect(first.summary.today.reported).toBe(2);
    expect(first.summary.today.closed).toBe(0);

    const closedAt = toBeijingIso(Date.now());
    server.upsert(makeIncident("A", 2, { status: "closed", createdAt: created, updatedAt: closedAt, history: [{ at: created, action: "report", actor: "patrol" }, { at: closedAt, action: "close", actor: "值班员" }] }));
    await until(() => pushed.at(-1)?.summary.today.closed === 1, "a situation with A closed");
    server.publish([{ type: "incident.archived", id: "A", version: 2 }]);
    await until(() => !engine.replica.incidents.has("A"), "A archived");
    // Worked out again after the archive (a second later at most): A still closed today, counted once.
    const mark = pushed.length;
    await until(() => pushed.length > mark, "a situation after the archive", 5000);
    expect(pushed.at(-1)!.summary.today.closed).toBe(1);
    expect(pushed.at(-1)!.summary.today.reported).toBe(2);
  });
});

describe("EngineSituation's schedule", () => {
  it("works it out at most once a second after changes, on each whole minute, and pushes what a page that opened got", () => {
    const situation = new EngineSituation(SETTINGS);
    const minute = Math.floor(NOW / 60_000) * 60_000;
    expect(situation.due(minute + 1000)).not.toBeNull();
    expect(situation.due(minute + 1500)).toBeNull();
    situation.keeper.upsertLive(INCIDENTS[0]!);
    expect(situation.due(minute + 1900)).toBeNull();
    expect(situation.due(minute + 2000)?.now).toBe(minute + 2000);
    expect(situation.due(minute + 30_000)).toBeNull();
    // Nothing changed, but a minute began: deadlines pass and days end with no case changing.
    expect(situation.due(minute + 60_000)?.now).toBe(minute + 60_000);
    situation.keeper.upsertLive(INCIDENTS[1]!);
    const opened = situation.current(minute + 60_100)!;
    expect(opened.now).toBe(minute + 60_100);
    expect(situation.current(minute + 60_200)).toBe(opened);
    // The pages already open get what the new page got, at the next tick.
    expect(situation.due(minute + 60_300)).toBe(opened);
    expect(situation.due(minute + 61_500)).toBeNull();
  });
});

describe("EngineSituation's load at start", () => {
  it("files the loaded cases in slices, has no situation until done, and files a case changed meanwhile as it is now", () => {
    const situation = new EngineSituation(SETTINGS);
    const created = toBeijingIso(NOW - 3_600_000);
    const loaded = Array.from({ length: 600 }, (_, i) => makeIncident(`L${i}`, 1, { createdAt: created, updatedAt: created, history: [{ at: created, action: "report", actor: "patrol" }] }));
    situation.load(loaded, [], [], []);
    expect(situation.loadStep(0)).toBe(false);
    expect(situation.loading).toBe(true);
    expect(situation.current(NOW)).toBeNull();
    expect(situation.due(NOW)).toBeNull();
    // L599 (not filed yet) closes before its turn: the delta's version counts, not the loaded one.
    const closedAt = toBeijingIso(NOW - 60_000);
    const closed = makeIncident("L599", 2, { status: "closed", createdAt: created, updatedAt: closedAt, history: [{ at: created, action: "report", actor: "patrol" }, { at: closedAt, action: "close", actor: "值班员" }] });
    const live = new Map(loaded.map((incident) => [incident.id, incident]));
    live.set("L599", closed);
    situation.note({ incidents: new Set(["L599"]), removedIncidents: new Set(), incidentsReset: false, units: new Set(), removedUnits: new Set(), unitsReset: false, alerts: false, fixes: new Set(), archived: [] }, live, new Map(), null);
    let steps = 1;
    while (!situation.loadStep(0)) steps++;
    expect(steps).toBeGreaterThanOrEqual(2);
    const done = situation.current(NOW)!;
    expect(done).toEqual(computeSituation(new Map([...live].map(([id, incident]) => [id, archivedCase(incident)])), new Map(), SETTINGS, new Map(), NOW));
    expect(done.summary.today.reported).toBe(600);
    expect(done.summary.today.closed).toBe(1);
  });
});
