import { describe, expect, it } from "vitest";
import type { KpiIncident } from "./kpi-time.js";
import { wholeDay } from "./kpi-time.js";
import { periodMetrics } from "./kpi.js";
import { dailyAggregates, historyCoverage, recordableDates, sameDateLastYear, stretchOf } from "./kpi-days.js";
import { at, INCIDENTS, NOW } from "./fixtures/kpi-fixture.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("a day's aggregate", () => {
  it("counts the hand-worked street's 21 November as the plain definitions do", () => {
    const [day] = dailyAggregates(INCIDENTS, ["2026-11-21"]);
    // Reported on the 21st: D 09:00, E 10:00, F 08:00, G 16:00. Closed: F 12:40. Rejected G is never due.
    expect(day!.metrics).toMatchObject({ reported: 4, registered: 3, dispatched: 3, closed: 1 });
    // Due by 24:00: F (closed on time, 12:40 ≤ 14:00) and H (closeBy 21 12:00, open: overdue) → 1/2, on time 1/2.
    expect(day!.metrics.closureRate).toBe(0.5);
    expect(day!.metrics.onTimeRate).toBe(0.5);
    // Open at 24:00 past a deadline: H (closeBy 21 12:00). D's and E's deadlines are ahead then.
    expect(day!.metrics.overdue).toBe(1);
    expect(day!.metrics).toEqual(periodMetrics(INCIDENTS, wholeDay(NOW, 1)));
  });

  it("counts a case closed after its deadline as closed late, and a rework on the day it was sent back", () => {
    const [day] = dailyAggregates(INCIDENTS, ["2026-11-22"]);
    // E closed 22 14:00 past its closeBy 22 10:00; A on time; B and H open past theirs; D's 20:00 passes at 20:00 → due, open.
    expect(day!.metrics.closed).toBe(2);
    expect(day!.metrics.onTimeRate).toBe(1 / 5);
    // Responded on the 22nd: A, D; reworked: D (its response predates the rework) → 1/2.
    expect(day!.metrics.reworkRate).toBe(0.5);
    expect(day!.metrics).toEqual(periodMetrics(INCIDENTS, { start: Date.parse(at("22 00:00")), end: Date.parse(at("22 00:00")) + DAY }));
  });

  it("puts a case on the Beijing day of its instant, to the millisecond around midnight", () => {
    const base = INCIDENTS[0]!;
    const late: KpiIncident = { ...base, id: "late", status: "reported", createdAt: "2026-11-21T23:59:59.999+08:00", updatedAt: "2026-11-21T23:59:59.999+08:00", milestones: {} };
    const early: KpiIncident = { ...late, id: "early", createdAt: "2026-11-21T16:00:00.000Z", updatedAt: "2026-11-21T16:00:00.000Z" };
    const [d21, d22] = dailyAggregates([late, early], ["2026-11-21", "2026-11-22"]);
    expect(d21!.metrics.reported).toBe(1);
    expect(d22!.metrics.reported).toBe(1);
    expect(d21!.flow.reported[24]).toBe(1);
    expect(d21!.flow.reported[23]).toBe(0);
    expect(d22!.flow.reported[1]).toBe(1);
  });

  it("gives the same figures as counting every case for every day (random cases over two weeks)", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const start = Date.parse("2026-11-01T00:00:00+08:00");
    const iso = (ms: number) => new Date(ms).toISOString();
    const cases: KpiIncident[] = Array.from({ length: 400 }, (_, i) => {
      const created = start + random() * 14 * DAY;
      let t = created;
      const next = () => (t += random() * 30 * HOUR);
      const milestones: KpiIncident["milestones"] = {};
      const outcome = random();
      let status: KpiIncident["status"] = "reported";
      if (outcome < 0.1) {
        milestones.rejected = iso(next());
        status = "rejected";
      } else if (outcome > 0.2) {
        milestones.registered = iso(next());
        milestones.dispatched = iso(next());
        status = "dispatched";
        if (outcome > 0.35) {
          milestones.responded = iso(next());
          status = "responded";
          if (outcome > 0.85) milestones.reworked = iso(next());
          if (outcome > 0.45) {
            milestones.closed = iso(next());
            status = "closed";
          }
        }
      }
      const evaluation = status === "closed" && random() < 0.5 ? { rating: random() < 0.8 ? ("satisfied" as const) : ("unsatisfied" as const), at: iso(next()) } : undefined;
      return {
        id: `R${i}`,
        status,
        createdAt: iso(created),
        updatedAt: iso(t),
        closeBy: iso(created + random() * 60 * HOUR),
        respondBy: iso(created + random() * 20 * HOUR),
        reworkCount: milestones.reworked ? 1 : 0,
        milestones,
        category: { code: "0401", major: "市容环境", minor: "" },
        gridCode: "110101001001001",
        ...(evaluation ? { evaluation } : {}),
      };
    });
    const dates = Array.from({ length: 16 }, (_, i) => new Date(start + i * DAY + 8 * HOUR).toISOString().slice(0, 10));
    const days = dailyAggregates(cases, dates);
    for (const [i, day] of days.entries()) expect(day.metrics, day.date).toEqual(periodMetrics(cases, { start: start + i * DAY, end: start + (i + 1) * DAY }));
    expect(days.reduce((n, d) => n + d.metrics.reported, 0)).toBe(400);
  });
});

describe("which days have an aggregate", () => {
  it("are the whole days after the history begins, up to yesterday", () => {
    const now = Date.parse("2026-11-22T15:00:00+08:00");
    expect(recordableDates(Date.parse("2026-11-19T00:00:00+08:00"), now)).toEqual(["2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(recordableDates(Date.parse("2026-11-19T00:00:00.001+08:00"), now)).toEqual(["2026-11-20", "2026-11-21"]);
    expect(recordableDates(Date.parse("2026-11-22T08:00:00+08:00"), now)).toEqual([]);
  });

  it("reach back to the earliest close the first snapshot holds, not to an old open case", () => {
    // H, open since the 20th, says nothing of the cases closed then; F closed 21 12:40 and G rejected 21 16:30 do.
    expect(historyCoverage(INCIDENTS, NOW)).toBe(Date.parse(at("21 12:40")));
    expect(historyCoverage(INCIDENTS.filter((c) => c.status !== "closed" && c.status !== "rejected"), NOW)).toBe(NOW);
  });
});

describe("同比 from a recorded day", () => {
  it("is the same calendar date a year before, none for 29 February", () => {
    expect(sameDateLastYear(Date.parse("2026-12-06T00:30:00+08:00"))).toBe("2025-12-06");
    expect(sameDateLastYear(Date.parse("2028-02-29T12:00:00+08:00"))).toBeNull();
  });

  it("reads the flow counts over the same stretch between whole hours, the levels of the whole day", () => {
    const [day] = dailyAggregates(INCIDENTS, ["2026-11-21"]);
    // The 21st's reports: F 08:00, D 09:00, E 10:00, G 16:00. At 09:30 a year on: F by 09:00, then half of the 09:00–10:00 hour (D), rounded: 2.
    const stretch = stretchOf(day!, Date.parse("2027-11-21T09:30:00+08:00"));
    expect(stretch.reported).toBe(2);
    expect(stretchOf(day!, Date.parse("2027-11-21T23:59:00+08:00")).reported).toBe(4);
    expect(stretch.closureRate).toBe(day!.metrics.closureRate);
  });
});
