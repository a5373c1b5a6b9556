import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Incident, Unit } from "../../shared/protocol/types.js";
import type { StoredCommand } from "./model.js";
import { incidentView, unitView } from "./bridge-objects.js";

const valid = JSON.parse(readFileSync(new URL("../../shared/protocol/corpus/valid.json", import.meta.url), "utf8")) as { snapshot: { incidents: Incident[]; units: Unit[] } };
const incident = valid.snapshot.incidents[0]!;
const unit = valid.snapshot.units[0]!;

describe("bridge objects", () => {
  it("gives a case's view every field but its history, in the record's order, with the reporter masked and the milestones after", () => {
    const view = incidentView(incident, []);
    const { history: _history, reporter: _reporter, ...rest } = incident;
    expect(Object.keys(view)).toEqual([...Object.keys(rest), "milestones", "reporter"]);
    expect(view).toMatchObject(rest);
    expect(view.reporter).toMatchObject({ masked: true });
    expect(view.reporter?.name).not.toBe(incident.reporter?.name);
    expect(view).not.toHaveProperty("history");
    // A view is a copy: the record it was made from is not touched.
    expect(incident.history.length).toBeGreaterThan(0);
    expect(incident.reporter?.name).toBe(valid.snapshot.incidents[0]?.reporter?.name);
  });

  it("keeps a field that is present and undefined, as the record has it", () => {
    const view = incidentView({ ...incident, department: undefined }, []);
    expect(Object.keys(view)).toContain("department");
    expect(view.department).toBeUndefined();
  });

  it("lists only the commands still on their way as pending", () => {
    const command = (commandId: string, state: StoredCommand["state"]): StoredCommand => ({
      command: { commandId, type: "register", incidentId: incident.id, expectedVersion: incident.version, issuedAt: "2026-11-22T09:40:00.000+08:00", operator: { id: "op", name: "值班员" }, payload: {} } as StoredCommand["command"],
      position: 0,
      state,
      attempts: 0,
    });
    const view = incidentView(incident, [command("c1", "queued"), command("c2", "sending"), command("c3", "rejected")]);
    expect(view.pending).toEqual([
      { commandId: "c1", type: "register" },
      { commandId: "c2", type: "register" },
    ]);
    expect(incidentView(incident, []).pending).toBeUndefined();
  });

  it("gives a staff member's view every field but the last fix, with its slot and the phone masked", () => {
    const view = unitView(unit, 7);
    const { lastFix: _fix, phone: _phone, ...rest } = unit;
    expect(Object.keys(view)).toEqual([...Object.keys(rest), "slot", "phone"]);
    expect(view).toMatchObject({ ...rest, slot: 7 });
    expect(view.phone).not.toBe(unit.phone);
    expect(view).not.toHaveProperty("lastFix");
    expect(Object.keys(unitView({ ...unit, phone: undefined }, 1))).not.toContain("phone");
  });
});
