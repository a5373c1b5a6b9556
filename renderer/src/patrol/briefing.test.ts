import { describe, expect, it } from "vitest";
import type { PatrolCheck, PatrolShift, UnitView } from "../../../shared/bridge/contract.js";
import { patrolBriefing } from "./briefing.js";
import { patrolMessages } from "./messages.js";
import { patrolRows } from "./rows.js";

const at = (hhmm: string) => Date.parse(`2026-12-05T${hhmm}:00+08:00`);
const unit = (id: string, name: string): UnitView => ({ id, name, role: "grid_assistant", gridCode: "g1", status: "on_patrol", slot: 0, phone: "13912345678" }) as UnitView;
const shift = (evidence: PatrolShift["evidence"]): PatrolShift => ({ from: at("08:00"), to: at("12:00"), verdict: "suspect", reasons: evidence.map((e) => e.reason), evidence, fixes: 240, distanceM: 5000 });

describe("the briefing's patrol scene", () => {
  const units = new Map([
    ["u1", unit("u1", "张三丰")],
    ["u2", unit("u2", "欧阳娜娜")],
    ["u3", unit("u3", "李四")],
  ]);
  const checks: PatrolCheck[] = [
    {
      unitId: "u1",
      verdict: "suspect",
      reasons: ["twin", "stationary"],
      shift: shift([
        { reason: "twin", from: at("08:30"), to: at("11:40"), lon: 116.4, lat: 39.9, otherUnitId: "u2", meanGapM: 6, sharedMinutes: 190 },
        { reason: "stationary", from: at("09:12"), to: at("11:40"), lon: 116.4, lat: 39.9, radiusM: 18 },
      ]),
      shifts: 4,
      suspectShifts: 2,
    },
    { unitId: "u2", verdict: "ok", reasons: [], shift: null, shifts: 4, suspectShifts: 0 },
  ];
  const scene = patrolBriefing(patrolRows(checks, units, new Map([["g1", "东华门第1网格"]])), patrolMessages["zh-CN"], at("15:00"), () => "东华门第1网格");

  it("masks every name it shows: the suspect's and the twin partner's", () => {
    expect(scene.suspects).toHaveLength(1);
    expect(scene.suspects[0]?.name).toBe("张**");
    expect(scene.suspects[0]?.evidence[0]).toBe("08:30–11:40 与 欧阳** 的设备同行 3 小时 10 分，平均相距 6 米");
    const shown = JSON.stringify(scene);
    for (const name of ["张三丰", "欧阳娜娜", "李四", "三丰", "娜娜"]) expect(shown).not.toContain(name);
  });

  it("carries no unit id and no phone", () => {
    const shown = JSON.stringify(scene);
    expect(shown).not.toMatch(/"u[123]"/);
    expect(shown).not.toContain("13912345678");
    expect(shown).not.toContain("5678");
  });

  it("counts everyone by verdict, the unjudged as too little data", () => {
    expect(scene.counts).toEqual({ suspect: 1, ok: 1, insufficient: 1 });
    expect(scene.staff).toBe(3);
    expect(scene.suspects[0]?.reasons).toEqual(["双机同行", "静止不动"]);
    expect(scene.suspects[0]?.gridName).toBe("东华门第1网格");
  });
});
