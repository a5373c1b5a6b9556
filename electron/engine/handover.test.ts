import { describe, expect, it } from "vitest";
import type { AttentionItem } from "../../shared/bridge/attention.js";
import type { OutboxEntry } from "../../shared/bridge/contract.js";
import { indexCategories } from "../../shared/domain/deadlines.js";
import type { Incident } from "../../shared/protocol/types.js";
import { assembleHandover, type ShiftInput } from "./handover.js";

/* The shift: 2026-11-22 08:00 to 16:00 Beijing time. */
const at = (hhmm: string) => `2026-11-22T${hhmm}:00.000+08:00`;
const ms = (hhmm: string) => Date.parse(at(hhmm));
const FROM = ms("08:00");
const TO = ms("16:00");

const categories = indexCategories([{ code: "0101", major: "市容环境", minor: "暴露垃圾", defaultPriority: "normal", respondHours: 2, closeHours: 24 }]);

function incident(id: string, spec: { created: string; status?: Incident["status"]; history?: [string, string][]; respondBy?: string; closeBy?: string }): Incident {
  return {
    id,
    version: 1,
    title: `案件 ${id}`,
    category: { code: "0101", major: "市容环境", minor: "暴露垃圾" },
    priority: "normal",
    status: spec.status ?? "registered",
    source: "hotline",
    lon: 116.4,
    lat: 39.9,
    gridCode: "G1",
    reworkCount: 0,
    createdAt: spec.created,
    updatedAt: spec.history?.at(-1)?.[1] ?? spec.created,
    history: (spec.history ?? []).map(([action, time]) => ({ at: time, action, actor: "平台" })),
    ...(spec.respondBy !== undefined && { respondBy: spec.respondBy }),
    ...(spec.closeBy !== undefined && { closeBy: spec.closeBy }),
  };
}

const operator = { id: "op-1", name: "张伟" };

function shift(overrides: Partial<ShiftInput>): ShiftInput {
  return { id: "h1", from: FROM, to: TO, by: operator, note: "注意 G1 网格井盖", incidents: [], categories, outbox: [], attention: [], acknowledgements: [], states: [], ...overrides };
}

describe("assembling the handover record", () => {
  it("lists the cases opened and closed in the shift, not those before it, also when the platform dates them ahead of the console's clock", () => {
    const record = assembleHandover(
      shift({
        incidents: [
          incident("A", { created: at("09:00") }),
          incident("B", { created: "2026-11-21T20:00:00.000+08:00", status: "closed", history: [["结案", at("10:30")]] }),
          incident("C", { created: "2026-11-21T20:00:00.000+08:00", status: "closed", history: [["结案", at("07:30")]] }),
          incident("D", { created: at("17:00") }),
        ],
      }),
    );
    expect(record.opened.items.map((c) => c.id)).toEqual(["A", "D"]);
    expect(record.closed).toEqual({ total: 1, items: [{ id: "B", title: "案件 B", status: "closed", at: at("10:30") }] });
    expect(record.from).toBe(at("08:00"));
    expect(record.to).toBe(at("16:00"));
    expect(record.note).toBe("注意 G1 网格井盖");
    expect(record.by).toEqual(operator);
  });

  it("counts a case whose deadline passed in the shift before it was met, dated by the deadline it missed", () => {
    const record = assembleHandover(
      shift({
        incidents: [
          // respond by 11:00, still not responded: overdue at 11:00.
          incident("late", { created: at("07:00"), respondBy: at("11:00") }),
          // responded at 10:00, before its 11:00 deadline: not overdue.
          incident("met", { created: at("07:00"), respondBy: at("11:00"), status: "responded", history: [["反馈", at("10:00")]] }),
          // late at 09:00, closed at 12:00: went overdue during the shift all the same.
          incident("closed-late", { created: at("06:00"), respondBy: at("09:00"), status: "closed", history: [["结案", at("12:00")]] }),
          // overdue since yesterday: it did not go overdue in this shift.
          incident("old", { created: "2026-11-21T08:00:00.000+08:00", respondBy: "2026-11-21T10:00:00.000+08:00", closeBy: "2026-11-21T18:00:00.000+08:00" }),
          // no platform deadline: the category's 2 hours from creation (13:00 + 2 h = 15:00).
          incident("by-category", { created: at("13:00") }),
        ],
      }),
    );
    expect(record.overdue.items.map((c) => [c.id, c.at])).toEqual([
      ["closed-late", at("09:00")],
      ["late", at("11:00")],
      ["by-category", at("15:00")],
    ]);
  });

  it("keeps the commands still waiting for the platform, oldest first", () => {
    const entry = (commandId: string, issuedAt: string): OutboxEntry => ({ commandId, type: "dispatch", incidentId: "A", issuedAt, attempts: 2, state: "queued", summary: "派遣 A" });
    const record = assembleHandover(shift({ outbox: [entry("c2", at("15:00")), entry("c1", at("14:00"))] }));
    expect(record.outbox.items.map((c) => c.commandId)).toEqual(["c1", "c2"]);
    expect(record.outbox.items[0]).toEqual({ commandId: "c1", type: "dispatch", incidentId: "A", issuedAt: at("14:00"), state: "queued", summary: "派遣 A" });
  });

  it("lists attention items with who acknowledged them and when, also those that left the list", () => {
    const item = (key: string, extra: Partial<AttentionItem>): AttentionItem => ({ key, kind: "urgent-case", level: "critical", reasons: ["urgent"], title: key, at: at("09:00"), alertIds: [], ...extra });
    const record = assembleHandover(
      shift({
        incidents: [incident("gone", { created: at("08:30"), status: "closed", history: [["结案", at("12:00")]] })],
        attention: [
          item("case:waiting", { at: "2026-11-21T09:00:00.000+08:00" }),
          item("case:acked", { acknowledged: { by: { id: "op-2", name: "李娜" }, at: at("10:00") } }),
          // acknowledged yesterday and came on the list yesterday: nothing happened to it this shift.
          item("case:stale", { at: "2026-11-21T09:00:00.000+08:00", acknowledged: { by: operator, at: "2026-11-21T10:00:00.000+08:00" } }),
        ],
        acknowledgements: [
          { key: "case:acked", level: "critical", operator: { id: "op-2", name: "李娜" }, at: at("10:00") },
          { key: "case:gone", level: "warning", operator, at: at("11:00") },
          { key: "case:yesterday", level: "warning", operator, at: "2026-11-21T11:00:00.000+08:00" },
        ],
      }),
    );
    const byKey = new Map(record.attention.items.map((a) => [a.key, a]));
    expect([...byKey.keys()].sort()).toEqual(["case:acked", "case:gone", "case:waiting"]);
    expect(byKey.get("case:waiting")).toMatchObject({ open: true, acknowledgements: [] });
    expect(byKey.get("case:acked")).toMatchObject({ open: true, acknowledgements: [{ by: { id: "op-2", name: "李娜" }, at: at("10:00") }] });
    expect(byKey.get("case:gone")).toMatchObject({ open: false, title: "案件 gone", incidentId: "gone", level: "warning", acknowledgements: [{ by: operator, at: at("11:00") }] });
  });

  it("makes outages from the connection's states, cut to the shift, one still lasting without an end", () => {
    const record = assembleHandover(
      shift({
        states: [
          { state: "offline", at: ms("07:00") },
          { state: "connecting", at: ms("08:30") },
          { state: "live", at: ms("08:31") },
          { state: "stalled", at: ms("12:00") },
          { state: "live", at: ms("12:05") },
          { state: "offline", at: ms("15:00") },
        ],
      }),
    );
    expect(record.outages.items).toEqual([
      { state: "offline", from: at("08:00"), to: at("08:30") },
      { state: "stalled", from: at("12:00"), to: at("12:05") },
      { state: "offline", from: at("15:00") },
    ]);
  });

  it("keeps the first 200 of a long list and counts them all", () => {
    const incidents = Array.from({ length: 250 }, (_, i) => incident(`N${i}`, { created: new Date(FROM + i * 60_000).toISOString() }));
    const record = assembleHandover(shift({ incidents }));
    expect(record.opened.total).toBe(250);
    expect(record.opened.items).toHaveLength(200);
    expect(record.opened.items[0]?.id).toBe("N0");
  });
});
