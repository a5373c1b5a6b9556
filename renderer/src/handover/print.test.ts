import { describe, expect, it } from "vitest";
import type { HandoverRecord } from "../../../shared/bridge/handover.js";
import { maskedRecord, maskPhonesIn } from "./print.js";

const at = "2026-12-06T08:00:00.000+08:00";
const record: HandoverRecord = {
  id: "rec-1",
  from: "2026-12-06T00:00:00.000+08:00",
  to: at,
  by: { id: "duty", name: "张伟" },
  note: "请回电王女士 13912345678，或 139-1234-5678；工单 DC20261206000015 待复查",
  opened: { total: 1, items: [{ id: "DC20261206000015", title: "井盖缺失，联系人 13800001111", status: "reported", at }] },
  closed: { total: 0, items: [] },
  overdue: { total: 0, items: [] },
  outbox: { total: 1, items: [{ commandId: "c1", type: "report", issuedAt: at, state: "queued", summary: "登记：来电 18611112222" }] },
  attention: { total: 1, items: [{ key: "case:DC1", kind: "urgent-case", level: "critical", title: "紧急案件", at, open: true, acknowledgements: [{ by: { id: "duty", name: "欧阳娜娜" }, at }] }] },
  outages: { total: 0, items: [] },
  acknowledged: { by: { id: "duty", name: "李明" }, at },
};

describe("the printed handover record", () => {
  it("masks every person's name and every mobile number in its free text, and keeps ids, times and counts", () => {
    const printed = maskedRecord(record);
    expect(printed.by.name).toBe("张*");
    expect(printed.acknowledged?.by.name).toBe("李*");
    expect(printed.attention.items[0]?.acknowledgements[0]?.by.name).not.toContain("娜娜");
    const text = JSON.stringify(printed);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(text).not.toContain("1234-5678");
    expect(printed.note).toBe("请回电王女士 139****5678，或 139****5678；工单 DC20261206000015 待复查");
    expect(printed.opened.items[0]).toEqual({ id: "DC20261206000015", title: "井盖缺失，联系人 138****1111", status: "reported", at });
    expect(printed.outbox.items[0]?.summary).toBe("登记：来电 186****2222");
    expect(printed.opened.total).toBe(1);
    expect(printed.from).toBe(record.from);
  });

  it("leaves case numbers and other long digit runs alone", () => {
    expect(maskPhonesIn("DC20261206000015 与 110101001009002")).toBe("DC20261206000015 与 110101001009002");
  });
});
