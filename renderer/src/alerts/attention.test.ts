import { describe, expect, it } from "vitest";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import type { Alert } from "../../../shared/protocol/types.js";
import { freshItems, newUrgentCases, tickerItems, toneFor } from "./attention.js";

const incident = (id: string, over: Partial<IncidentView> = {}): IncidentView => ({
  id,
  version: 1,
  title: "燃气泄漏",
  category: { code: "0301", major: "安全隐患", minor: "燃气泄漏" },
  priority: "urgent",
  status: "reported",
  source: "sensor",
  lon: 116.4,
  lat: 39.9,
  gridCode: "110101001001001",
  reworkCount: 0,
  createdAt: "2026-11-23T10:00:00+08:00",
  updatedAt: "2026-11-23T10:00:00+08:00",
  ...over,
});
const alert = (id: string, level: Alert["level"], at: string): Alert => ({ id, level, at, title: id });

describe("newUrgentCases", () => {
  it("finds urgent open cases that were not known, ignoring normal and finished ones", () => {
    const known = new Set(["old"]);
    const found = newUrgentCases(
      [incident("old"), incident("new"), incident("normal", { priority: "normal" }), incident("done", { status: "closed" })],
      known,
    );
    expect(found.map((c) => c.id)).toEqual(["new"]);
  });
});

describe("tickerItems", () => {
  it("lists critical before warning before info, newest first within a level", () => {
    const items = tickerItems(
      [alert("info", "info", "2026-11-23T10:05:00+08:00"), alert("sos-old", "critical", "2026-11-23T09:00:00+08:00"), alert("warn", "warning", "2026-11-23T10:00:00+08:00")],
      [incident("C1", { createdAt: "2026-11-23T09:30:00+08:00" })],
    );
    expect(items.map((i) => i.key)).toEqual(["case:C1", "alert:sos-old", "alert:warn", "alert:info"]);
    expect(items[0]).toMatchObject({ kind: "urgent-case", level: "critical", incidentId: "C1" });
  });
});

describe("tickerItems folding", () => {
  it("folds an engine alert about a new urgent case into the case's item, acknowledged together", () => {
    const about = { ...alert("a1", "warning", "2026-11-23T10:00:00+08:00"), incidentId: "C9" };
    const items = tickerItems([about, alert("a2", "info", "2026-11-23T10:00:00+08:00")], [incident("C9")]);
    expect(items.map((i) => i.key)).toEqual(["case:C9", "alert:a2"]);
    expect(items[0]?.alertIds).toEqual(["a1"]);
  });
});

describe("toneFor", () => {
  const items = tickerItems([alert("sos", "critical", "2026-11-23T10:00:00+08:00"), alert("note", "info", "2026-11-23T10:00:00+08:00")], [incident("C2")]);

  it("sounds the critical tone for a critical alert and the urgent tone for a new urgent case", () => {
    expect(toneFor(items, true, false)).toBe("critical");
    expect(toneFor(items.filter((i) => i.kind === "urgent-case"), true, false)).toBe("urgent");
    expect(toneFor(items.filter((i) => i.level === "info"), true, false)).toBeNull();
  });

  it("stays silent when sound is off or the wall is in briefing mode", () => {
    expect(toneFor(items, false, false)).toBeNull();
    expect(toneFor(items, true, true)).toBeNull();
  });

  it("treats only items not seen before as fresh", () => {
    expect(freshItems(items, new Set(["alert:sos", "case:C2"])).map((i) => i.key)).toEqual(["alert:note"]);
  });
});
