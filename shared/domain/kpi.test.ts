import { describe, expect, it } from "vitest";
import { change, kpiSummary, periodMetrics } from "./kpi.js";
import { sameStretch, wholeDay } from "./kpi-time.js";
import { at, INCIDENTS, NOW, UNITS } from "./fixtures/kpi-fixture.js";

// Every expected figure below is worked out by hand from the table in fixtures/kpi-fixture.ts.
describe("today's KPIs (2026-11-22 00:00–15:00 Beijing)", () => {
  const today = periodMetrics(INCIDENTS, sameStretch(NOW, 0));

  it("counts cases by the day each stage was reached", () => {
    // reported: A 08:00, B 09:00, C 10:00. registered: A 08:10, B 09:05. dispatched: A 08:20, B 09:30
    // (D was dispatched yesterday; its rework today is not a new dispatch). closed: A 11:20, E 14:00.
    expect(today).toMatchObject({ reported: 3, registered: 2, dispatched: 2, closed: 2 });
  });

  it("closure rate is closed over due to close, the cases overdue since an earlier day included", () => {
    // 应结案: closeBy before 15:00 and not closed before today → A 12:00, B 13:00, E 10:00, and H (closeBy 21 12:00,
    // still open: overdue since yesterday); D's 20:00 is still ahead; F closed yesterday; G rejected. Closed today: A, E
    // (already in). Set {A, B, E, H}; closed by 15:00: A, E → 2/4.
    expect(today.closureRate).toBe(0.5);
  });

  it("on-time rate is closed on or before closeBy over the same due cases, so open overdue cases pull it down", () => {
    // Of {A, B, E, H}: A closed 11:20 ≤ 12:00 on time; E closed 22 14:00 > 22 10:00 late; B and H open past their
    // deadlines → 1/4. (Over the cases closed today alone it would read 1/2 next to two overdue cases.)
    expect(today.onTimeRate).toBe(0.25);
  });

  it("satisfaction rate is none until a case is evaluated", () => {
    expect(today.satisfactionRate).toBeNull();
  });

  it("rework rate is cases sent back over cases whose response was checked", () => {
    // responded today: A 10:00, D 09:00; reworked today: D 10:00 → {A, D}, 1 reworked → 1/2.
    expect(today.reworkRate).toBe(0.5);
  });

  it("average handling time runs from dispatch to close", () => {
    // A: 08:20 → 11:20 = 3 h; E: 21 10:10 → 22 14:00 = 27 h 50 min = 27.8333 h; mean 15.41667 h.
    expect(today.averageHandlingHours).toBeCloseTo((3 + 27 + 50 / 60) / 2, 10);
  });

  it("overdue counts open cases past a deadline at the end of the period", () => {
    // open at 15:00: B (closeBy 13:00 passed), C (no deadline), D (closeBy 20:00 ahead), H (closeBy 21 12:00 passed) → 2.
    expect(today.overdue).toBe(2);
  });
});

describe("comparisons", () => {
  const summary = kpiSummary({ incidents: INCIDENTS, units: UNITS, now: NOW });

  it("compares with the same stretch of yesterday (环比), as it stood then", () => {
    // 2026-11-21 00:00–15:00: reported D, E, F (G at 16:00 is after the stretch); registered and dispatched D, E, F;
    // closed F 12:40. due: F (closeBy 14:00), H (closeBy 12:00) → F closed → 1/2. on time: F 12:40 ≤ 14:00 → 1/2.
    // responded E 12:00, F 11:00, none reworked → 0/2. handling F 08:40 → 12:40 = 4 h.
    // overdue at 21 15:00: D, E, H open; only H is past its closeBy → 1.
    expect(summary.yesterday).toEqual({
      reported: 3,
      registered: 3,
      dispatched: 3,
      closed: 1,
      closureRate: 0.5,
      onTimeRate: 0.5,
      reworkRate: 0,
      averageHandlingHours: 4,
      overdue: 1,
      satisfactionRate: null,
    });
  });

  it("has no 同比 when the data does not reach back a week", () => {
    // The oldest case, H, was created 2026-11-20 09:00, after 2026-11-15 00:00.
    expect(summary.lastWeek).toBeNull();
  });

  it("uses the caller's history start when it is given", () => {
    const withHistory = kpiSummary({ incidents: INCIDENTS, units: UNITS, now: NOW, historySince: Date.parse(at("01 00:00")) });
    // The console has watched since Nov 1 and saw nothing on Nov 15: a real zero, not a gap.
    expect(withHistory.lastWeek).toMatchObject({ reported: 0, closed: 0, closureRate: null, onTimeRate: null, overdue: 0 });
  });

  it("counts every unit not off duty as on duty", () => {
    // on_patrol, busy, sos on duty; off_duty not.
    expect(summary.onDuty).toBe(3);
  });

  it("reports the change against a comparison, or null when either side is missing", () => {
    expect(change(summary.today.reported, summary.yesterday?.reported)).toBe(0);
    expect(change(summary.today.closed, summary.yesterday?.closed)).toBe(1);
    expect(change(summary.today.onTimeRate, summary.yesterday?.onTimeRate)).toBe(-0.25);
    expect(change(summary.today.reported, summary.lastWeek?.reported)).toBeNull();
    expect(change(null, 3)).toBeNull();
  });

  it("gives null rates, not zero, for an empty console", () => {
    const empty = kpiSummary({ incidents: [], units: [], now: NOW });
    expect(empty.today).toEqual({
      reported: 0,
      registered: 0,
      dispatched: 0,
      closed: 0,
      closureRate: null,
      onTimeRate: null,
      reworkRate: null,
      averageHandlingHours: null,
      overdue: 0,
      satisfactionRate: null,
    });
    expect(empty.yesterday).toBeNull();
    expect(empty.onDuty).toBe(0);
  });
});

describe("overdue agrees with the queue's deadline rules", () => {
  it("applies the category's default deadline to a case the platform sent without one", () => {
    // 占道经营 0501: respond within 4 h. C was reported 22 10:00 with no deadline → respond by 14:00, passed at 15:00:
    // overdue now joins B and H → 3. Yesterday at 15:00 neither C nor G (0501) existed yet → still 1.
    const categories = new Map([["0501", { code: "0501", major: "街面秩序", minor: "占道经营", defaultPriority: "normal" as const, respondHours: 4, closeHours: 24 }]]);
    const summary = kpiSummary({ incidents: INCIDENTS, units: UNITS, now: NOW, categories });
    expect(summary.today.overdue).toBe(3);
    expect(summary.yesterday?.overdue).toBe(1);
  });
});

describe("Beijing day boundaries", () => {
  it("puts a case created at 23:30 UTC into the next Beijing day", () => {
    // 2026-11-21T23:30Z is 2026-11-22 07:30 Beijing: today, whatever the machine's zone.
    const late = { ...INCIDENTS[2]!, id: "Z", createdAt: "2026-11-21T23:30:00.000Z" };
    expect(periodMetrics([late], sameStretch(NOW, 0)).reported).toBe(1);
    expect(periodMetrics([late], sameStretch(NOW, 1)).reported).toBe(0);
  });
});

/*
 * Edge days, each worked by hand. Times are Beijing; "now" is 2026-11-22 15:00.
 * X: closeBy exactly at midnight 22 00:00, closed 21 23:59 → yesterday's due case, on time; not today's.
 * Y: closeBy 22 00:00, still open → overdue since midnight: due today, not closed.
 * Z: closeBy 21 18:00, closed 22 00:30 (after its deadline, after midnight) → due today (closed today), late.
 * R: responded 22 09:00, reworked 22 10:00 with a new closeBy of 23 10:00 → reworked today, not due today.
 * V, W: closed 21, evaluated 22 09:00 satisfied and 22 11:00 unsatisfied; Q basically satisfied 21 20:00.
 */
describe("edge days", () => {
  const base = INCIDENTS[0]!;
  const make = (id: string, change: Partial<typeof base>) => ({ ...base, id, milestones: {}, closeBy: undefined, ...change }) as typeof base;
  const X = make("X", { createdAt: at("21 08:00"), updatedAt: at("21 23:59"), status: "closed", closeBy: at("22 00:00"), milestones: { closed: at("21 23:59") } });
  const Y = make("Y", { createdAt: at("21 08:00"), updatedAt: at("21 08:00"), status: "processing", closeBy: at("22 00:00") });
  const Z = make("Z", { createdAt: at("21 08:00"), updatedAt: at("22 00:30"), status: "closed", closeBy: at("21 18:00"), milestones: { dispatched: at("21 08:30"), closed: at("22 00:30") } });
  const R = make("R", {
    createdAt: at("21 08:00"),
    updatedAt: at("22 10:00"),
    status: "dispatched",
    closeBy: at("23 10:00"),
    reworkCount: 1,
    milestones: { dispatched: at("21 08:30"), responded: at("22 09:00"), reworked: at("22 10:00") },
  });
  const evaluated = (id: string, rating: "satisfied" | "basically_satisfied" | "unsatisfied", when: string) =>
    make(id, { createdAt: at("20 08:00"), updatedAt: at(when), status: "closed", milestones: { closed: at("21 08:00") }, evaluation: { rating, at: at(when) } });
  const cases = [X, Y, Z, R, evaluated("V", "satisfied", "22 09:00"), evaluated("W", "unsatisfied", "22 11:00"), evaluated("Q", "basically_satisfied", "21 20:00")];

  it("counts a deadline at Beijing midnight on the day it falls, and a case closed a minute before it on the day before", () => {
    // Today: due {Y (open past midnight), Z (closed today, late)}; X, V, W, Q were closed yesterday → not due today.
    const today = periodMetrics(cases, sameStretch(NOW, 0));
    expect(today.closed).toBe(1); // Z
    expect(today.closureRate).toBe(0.5); // Z of {Y, Z}
    expect(today.onTimeRate).toBe(0); // Z late, Y open
    expect(today.overdue).toBe(1); // Y
    // Yesterday, whole: due {X (closed 23:59 ≤ 00:00, on time), V, W, Q (closed 21 08:00, no deadline: on time),
    // Z (closeBy 21 18:00, open at the day's end)} → closed 4 of 5, all 4 on time.
    const yesterday = periodMetrics(cases, wholeDay(NOW, 1));
    expect(yesterday.closed).toBe(4);
    expect(yesterday.closureRate).toBe(4 / 5);
    expect(yesterday.onTimeRate).toBe(4 / 5);
  });

  it("keeps a reworked case out of today's due cases until its new deadline, and counts the rework", () => {
    const today = periodMetrics([R], sameStretch(NOW, 0));
    expect(today).toMatchObject({ closureRate: null, onTimeRate: null, reworkRate: 1, dispatched: 0 });
  });

  it("counts satisfied and basically satisfied over the cases evaluated in the period (满意率)", () => {
    expect(periodMetrics(cases, sameStretch(NOW, 0)).satisfactionRate).toBe(0.5); // V satisfied, W unsatisfied
    expect(periodMetrics(cases, wholeDay(NOW, 1)).satisfactionRate).toBe(1); // Q basically satisfied
  });
});

describe("never 100% next to an overdue case", () => {
  it("counts a case overdue on its response deadline as due to close, so both rates fall below 100%", () => {
    // C (占道经营 0501, respond within 4 h) was reported 22 10:00 and not registered: overdue at 14:00, its close deadline
    // (24 h) still ahead. Today's due cases become {A, B, C, E, H}: closed A, E → 2/5; on time A → 1/5.
    const categories = new Map([["0501", { code: "0501", major: "街面秩序", minor: "占道经营", defaultPriority: "normal" as const, respondHours: 4, closeHours: 24 }]]);
    const today = periodMetrics(INCIDENTS, sameStretch(NOW, 0), categories);
    expect(today.overdue).toBe(3);
    expect(today.closureRate).toBe(2 / 5);
    expect(today.onTimeRate).toBe(1 / 5);
    // Only A, closed on time, and the response-overdue C: 50%, not 100%.
    const two = periodMetrics(INCIDENTS.filter((c) => c.id === "A" || c.id === "C"), sameStretch(NOW, 0), categories);
    expect(two).toMatchObject({ overdue: 1, closureRate: 0.5, onTimeRate: 0.5 });
  });
});

/*
 * 环比 just after midnight, worked by hand. "Now" is 2026-11-22 00:30 Beijing (2026-11-21 16:30 UTC): today is
 * 22 00:00–00:30, and 环比's side is 21 00:00–00:30, not the whole of the 21st.
 * P: reported 21 00:10, registered 21 00:20 → yesterday's stretch.
 * Q: reported 21 00:40 → yesterday, after the stretch: counted only by a whole-day comparison.
 * S: reported 21 23:50, registered 22 00:05 → reported yesterday (after the stretch), registered today.
 * M: reported 22 00:00 exactly → today. T: reported 22 00:15 → today. U: reported 22 00:30, the instant of now → not yet.
 */
describe("环比 around Beijing midnight", () => {
  const base = INCIDENTS[2]!;
  const make = (id: string, created: string, registered?: string) =>
    ({ ...base, id, createdAt: at(created), updatedAt: at(registered ?? created), status: registered ? "registered" : "reported", milestones: registered ? { registered: at(registered) } : {} }) as typeof base;
  const cases = [make("P", "21 00:10", "21 00:20"), make("Q", "21 00:40"), make("S", "21 23:50", "22 00:05"), make("M", "22 00:00"), make("T", "22 00:15"), make("U", "22 00:30")];
  const justAfter = Date.parse(at("22 00:30"));

  it("compares today's first half hour with yesterday's first half hour, not with the whole of yesterday", () => {
    expect(justAfter).toBe(Date.parse("2026-11-21T16:30:00Z"));
    const summary = kpiSummary({ incidents: cases, units: [], now: justAfter, historySince: Date.parse(at("20 00:00")) });
    expect(summary.today).toMatchObject({ reported: 2, registered: 1 }); // M, T; S
    expect(summary.yesterday).toMatchObject({ reported: 1, registered: 1 }); // P; P
    expect(change(summary.today.reported, summary.yesterday?.reported)).toBe(1);
    // The whole of the 21st would read 3 reported (P, Q, S): a partial day against a whole one.
    expect(periodMetrics(cases, wholeDay(justAfter, 1)).reported).toBe(3);
  });

  it("at midnight itself compares an empty stretch with an empty stretch", () => {
    const midnight = Date.parse(at("22 00:00"));
    const summary = kpiSummary({ incidents: cases, units: [], now: midnight, historySince: Date.parse(at("20 00:00")) });
    expect(summary.today).toMatchObject({ reported: 0, registered: 0 });
    // Yesterday 00:00 to 00:00: nothing, not the whole of the 21st (P, Q, S); the day before's stretch is empty too.
    expect(summary.yesterday).toMatchObject({ reported: 0, registered: 0 });
    expect(sameStretch(midnight, 1)).toEqual({ start: Date.parse(at("21 00:00")), end: Date.parse(at("21 00:00")) });
  });
});
