import { afterEach, describe, expect, it } from "vitest";
import type { Category } from "../bridge/contract.js";
import {
  applicableDeadline,
  caseDeadlines,
  deadlineState,
  formatCountdown,
  indexCategories,
  nextOverdueChange,
  overdueByDepartment,
  type DeadlineInput,
} from "./deadlines.js";
import { formatShort, toEpochMs } from "./time.js";

const categories = indexCategories([
  { code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent", respondHours: 0.5, closeHours: 4 },
  { code: "0401", major: "市容环境", minor: "垃圾堆放", defaultPriority: "normal", respondHours: 8, closeHours: 48 },
] satisfies Category[]);

const gas = { code: "0301", major: "安全隐患", minor: "燃气泄漏" };
const litter = { code: "0401", major: "市容环境", minor: "垃圾堆放" };

function incident(over: Partial<DeadlineInput> = {}): DeadlineInput {
  return { status: "reported", createdAt: "2026-11-22T23:40:00.000+08:00", category: gas, ...over };
}

const at = (iso: string) => toEpochMs(iso);

describe("caseDeadlines", () => {
  it("takes the platform's respondBy and closeBy over the category defaults", () => {
    const d = caseDeadlines(incident({ respondBy: "2026-11-23T08:00:00+08:00", closeBy: "2026-11-24T08:00:00+08:00" }), categories);
    expect(d.respondBy).toBe(at("2026-11-23T08:00:00+08:00"));
    expect(d.closeBy).toBe(at("2026-11-24T08:00:00+08:00"));
  });

  it("counts category default hours from creation before dispatch, across Beijing midnight", () => {
    const d = caseDeadlines(incident(), categories);
    expect(formatShort(d.respondBy ?? 0)).toBe("11-23 00:10");
    expect(formatShort(d.closeBy ?? 0)).toBe("11-23 03:40");
  });

  it("counts category default hours from dispatch once the case is dispatched", () => {
    const d = caseDeadlines(
      incident({ status: "dispatched", category: litter, milestones: { dispatched: "2026-11-23T02:00:00+08:00" } }),
      categories,
    );
    expect(formatShort(d.respondBy ?? 0)).toBe("11-23 10:00");
    expect(formatShort(d.closeBy ?? 0)).toBe("11-25 02:00");
  });

  it("works a record's deadlines out once per category index, and a replaced record's again", () => {
    const record = incident();
    const first = caseDeadlines(record, categories);
    expect(caseDeadlines(record, categories)).toBe(first);
    // The store replaces a record when its case changes: the new record's own dates count.
    const replaced = { ...record, closeBy: "2026-11-23T02:00:00+08:00" };
    expect(caseDeadlines(replaced, categories).closeBy).toBe(at("2026-11-23T02:00:00+08:00"));
    // New settings: the same record is worked out again with the new category hours.
    const slower = indexCategories([{ code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent", respondHours: 2, closeHours: 8 }]);
    expect(formatShort(caseDeadlines(record, slower).respondBy ?? 0)).toBe("11-23 01:40");
    expect(caseDeadlines(record, categories)).toEqual(first);
  });

  it("indexes one list of categories once, so that a record's deadlines are worked out once for all its readers", () => {
    const list = [{ code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent" as const, respondHours: 1, closeHours: 4 }];
    const record = incident();
    expect(indexCategories(list)).toBe(indexCategories(list));
    expect(caseDeadlines(record, indexCategories(list))).toBe(caseDeadlines(record, indexCategories(list)));
    // Another list, even with the same categories, is indexed on its own.
    expect(indexCategories([...list])).not.toBe(indexCategories(list));
    expect(indexCategories([...list]).get("0301")).toBe(list[0]);
  });

  it("has no deadline for an unknown category without platform deadlines", () => {
    const d = caseDeadlines(incident({ category: { code: "9999", major: "x", minor: "y" } }), categories);
    expect(d).toEqual({ respondBy: null, closeBy: null });
  });
});

describe("applicableDeadline", () => {
  it("works against respond until the department responds, then close, then nothing", () => {
    expect(["reported", "registered", "dispatched", "processing"].map((s) => applicableDeadline(s as DeadlineInput["status"]))).toEqual([
      "respond",
      "respond",
      "respond",
      "respond",
    ]);
    expect(applicableDeadline("responded")).toBe("close");
    expect(applicableDeadline("closed")).toBeNull();
    expect(applicableDeadline("rejected")).toBeNull();
  });
});

describe("deadlineState", () => {
  it("is not overdue one second before the respond deadline and overdue one second after", () => {
    const c = incident();
    const due = at("2026-11-23T00:10:00+08:00");
    expect(deadlineState(c, categories, due - 1000)).toMatchObject({ kind: "respond", due, remainingMs: 1000, overdue: false });
    expect(deadlineState(c, categories, due + 1000)).toMatchObject({ kind: "respond", due, remainingMs: -1000, overdue: true });
  });

  it("stops counting the respond deadline once the department has responded", () => {
    const c = incident({ status: "responded" });
    const afterRespondDue = at("2026-11-23T01:00:00+08:00");
    expect(deadlineState(c, categories, afterRespondDue)).toMatchObject({ kind: "close", overdue: false });
    expect(deadlineState(c, categories, at("2026-11-23T04:00:00+08:00")).overdue).toBe(true);
  });

  it("never calls a closed or rejected case overdue", () => {
    const late = at("2026-12-30T00:00:00+08:00");
    expect(deadlineState(incident({ status: "closed" }), categories, late)).toEqual({ kind: null, due: null, remainingMs: null, overdue: false });
    expect(deadlineState(incident({ status: "rejected" }), categories, late).overdue).toBe(false);
  });

  it("counts a case late on close even while it still works against respond", () => {
    const c = incident({ respondBy: "2026-11-30T00:00:00+08:00", closeBy: "2026-11-23T01:00:00+08:00" });
    expect(deadlineState(c, categories, at("2026-11-23T02:00:00+08:00"))).toMatchObject({ kind: "respond", overdue: true });
  });
});

describe("nextOverdueChange", () => {
  it("names the next unmet deadline still ahead, or null when none can change", () => {
    const c = incident();
    expect(nextOverdueChange(c, categories, at("2026-11-22T23:50:00+08:00"))).toBe(at("2026-11-23T00:10:00+08:00"));
    expect(nextOverdueChange(c, categories, at("2026-11-23T01:00:00+08:00"))).toBe(at("2026-11-23T03:40:00+08:00"));
    expect(nextOverdueChange(c, categories, at("2026-11-23T05:00:00+08:00"))).toBeNull();
    expect(nextOverdueChange(incident({ status: "closed" }), categories, 0)).toBeNull();
  });
});

describe("overdueByDepartment", () => {
  it("counts overdue open cases per department, most first, ignoring cases on time or done", () => {
    const now = at("2026-11-23T12:00:00+08:00");
    const police = { id: "D02", name: "派出所" };
    const fire = { id: "D10", name: "消防救援站" };
    const rows = overdueByDepartment(
      [
        incident({ status: "dispatched", department: police }),
        incident({ status: "processing", department: fire }),
        incident({ status: "processing", department: fire }),
        incident({ status: "closed", department: police }),
        incident({ status: "dispatched", department: police, respondBy: "2026-11-24T00:00:00+08:00", closeBy: "2026-11-25T00:00:00+08:00" }),
        incident({ status: "reported" }),
      ],
      categories,
      now,
    );
    expect(rows).toEqual([
      { departmentId: "D10", name: "消防救援站", overdue: 2 },
      { departmentId: "", name: "", overdue: 1 },
      { departmentId: "D02", name: "派出所", overdue: 1 },
    ]);
  });
});

describe("formatCountdown", () => {
  it("shows hours:minutes:seconds, with days in front past 24 hours", () => {
    expect(formatCountdown(3_723_000, "天")).toBe("1:02:03");
    expect(formatCountdown(-59_000, "天")).toBe("0:00:59");
    expect(formatCountdown(2 * 86_400_000 + 3_723_000, "d")).toBe("2d 01:02:03");
  });
});

describe("in another machine time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it("gives the same Beijing deadlines and overdue results with the machine in New York", () => {
    const c = incident({ status: "dispatched", category: litter, milestones: { dispatched: "2026-11-22T20:30:00+08:00" } });
    const now = at("2026-11-23T04:31:00+08:00");
    process.env.TZ = "UTC";
    const inUtc = { deadlines: caseDeadlines(c, categories), state: deadlineState(c, categories, now) };
    process.env.TZ = "America/New_York";
    // Proves the zone really changed for this process, so the comparison below means something.
    expect(new Date(now).getHours()).not.toBe(new Date(now).getUTCHours());
    const inNewYork = { deadlines: caseDeadlines(c, categories), state: deadlineState(c, categories, now) };
    expect(inNewYork).toEqual(inUtc);
    expect(formatShort(inNewYork.deadlines.respondBy ?? 0)).toBe("11-23 04:30");
    expect(inNewYork.state.overdue).toBe(true);
  });
});
