import { describe, expect, it } from "vitest";
import type { Command, Incident } from "../shared/protocol/types.js";
import { evaluateCommand, type CommandContext } from "./commands.js";
import { fixtureLayer } from "./region-synthetic.js";
import { regionFromCollection } from "./region.js";
import { loadReference } from "./resources.js";
import { FeedStore } from "./store.js";

const NOW = Date.parse("2026-11-20T10:00:00+08:00");
const reference = loadReference();
const region = regionFromCollection(fixtureLayer());

function context(cases: Incident[]): CommandContext {
  const store = new FeedStore(() => NOW);
  store.commit(cases.map((incident) => ({ type: "incident.upsert", incident })));
  let n = 0;
  return { store, categories: reference.categories, departments: reference.departments, region, now: NOW, newCaseId: () => `DC${++n}` };
}

const base: Incident = {
  id: "C1",
  version: 4,
  title: "t",
  category: { code: "0301", major: "安全隐患", minor: "燃气泄漏" },
  priority: "urgent",
  status: "responded",
  source: "hotline",
  lon: 116.43,
  lat: 39.94,
  gridCode: "110101009001001",
  reworkCount: 1,
  createdAt: "2026-11-20T09:00:00.000+08:00",
  updatedAt: "2026-11-20T09:30:00.000+08:00",
  history: Array.from({ length: 50 }, (_, i) => ({ at: "2026-11-20T09:30:00.000+08:00", action: "annotate", actor: `a${i}` })),
};

const cmd = (fields: Partial<Command> & Pick<Command, "type" | "payload">): unknown => ({ commandId: "c", issuedAt: "2026-11-20T10:00:00.000+08:00", operator: { id: "o", name: "值班员乙" }, incidentId: "C1", ...fields });

describe("command rules", () => {
  it("refuses changes to an archived case as forbidden, and to an unknown one as not_found", () => {
    const ctx = context([base]);
    ctx.store.commit([{ type: "incident.archived", id: "C1", version: 4 }]);
    expect(evaluateCommand(ctx, cmd({ type: "annotate", payload: { note: "x" } })).result).toMatchObject({ ok: false, code: "forbidden" });
    expect(evaluateCommand(ctx, cmd({ type: "annotate", incidentId: "C9", payload: { note: "x" } })).result).toMatchObject({ ok: false, code: "not_found" });
  });

  it("answers conflict with the current case for a version the server never issued", () => {
    const outcome = evaluateCommand(context([base]), cmd({ type: "close", expectedVersion: 9, payload: { note: "ok" } }));
    expect(outcome.result).toMatchObject({ ok: false, code: "conflict", incident: { version: 4 } });
    expect(outcome.events).toEqual([]);
  });

  it("applies a still-meaningful action even when the case moved on since the operator looked", () => {
    const outcome = evaluateCommand(context([base]), cmd({ type: "close", expectedVersion: 2, payload: { note: "核查属实" } }));
    expect(outcome.result).toMatchObject({ ok: true, incident: { status: "closed", version: 5 } });
  });

  it("resets both deadlines on rework from the category hours and keeps history at 50 entries, newest last", () => {
    const outcome = evaluateCommand(context([base]), cmd({ type: "rework", payload: { reason: "燃气味仍在" } }));
    if (!outcome.result.ok) throw new Error(outcome.result.message);
    const incident = outcome.result.incident;
    expect(incident).toMatchObject({ status: "dispatched", reworkCount: 2, respondBy: "2026-11-20T10:30:00.000+08:00", closeBy: "2026-11-20T14:00:00.000+08:00" });
    expect(incident.history).toHaveLength(50);
    expect(incident.history.at(-1)).toMatchObject({ action: "rework", actor: "值班员乙", note: "燃气味仍在" });
    expect(outcome.events).toEqual([{ type: "incident.upsert", incident }]);
  });

  it("locates a reported case's grid from its position when the console names none", () => {
    const grid = region.grids[5]!;
    const outcome = evaluateCommand(context([]), { commandId: "r", type: "report", issuedAt: "2026-11-20T10:00:00.000+08:00", operator: { id: "o", name: "n" }, payload: { clientRef: "x", title: "井盖缺失", categoryCode: "0601", priority: "urgent", lon: grid.centroid[0], lat: grid.centroid[1] } });
    expect(outcome.result).toMatchObject({ ok: true, incident: { id: "DC1", gridCode: grid.code, clientRef: "x" } });
  });
});
