import { describe, expect, it } from "vitest";
import { indexCategories } from "../../shared/domain/deadlines.js";
import { HandoverBook, type ShiftSource } from "./handover-book.js";

const at = (hhmm: string) => `2026-11-22T${hhmm}:00.000+08:00`;
const ms = (hhmm: string) => Date.parse(at(hhmm));
const empty: ShiftSource = { incidents: () => [], outbox: () => [], attention: () => [], acknowledgements: () => [] };
const zhang = { id: "op-1", name: "张伟" };

describe("the handover book", () => {
  it("starts the first shift at the console's start and each next one at the previous handover", () => {
    const book = new HandoverBook(ms("08:00"), indexCategories([]));
    expect(book.shiftStartedAt).toBe(at("08:00"));
    const { record, op } = book.write("  交班  ", zhang, ms("16:00"), empty);
    expect(op).toEqual({ op: "handover", record });
    expect(record).toMatchObject({ from: at("08:00"), to: at("16:00"), note: "交班", by: zhang });
    book.written(record);
    expect(book.shiftStartedAt).toBe(at("16:00"));
    expect(book.pending()).toBe(record);
  });

  it("puts an outage that spans the handover in both shifts' records", () => {
    const book = new HandoverBook(ms("08:00"), indexCategories([]));
    book.recordState("live", ms("08:01"));
    book.recordState("offline", ms("15:50"));
    const first = book.write("", zhang, ms("16:00"), empty).record;
    book.written(first);
    book.recordState("live", ms("16:10"));
    const second = book.write("", zhang, ms("23:00"), empty).record;
    expect(first.outages.items).toEqual([{ state: "offline", from: at("15:50") }]);
    expect(second.outages.items).toEqual([{ state: "offline", from: at("16:00"), to: at("16:10") }]);
  });

  it("takes over only the record that waits, once", () => {
    const book = new HandoverBook(ms("08:00"), indexCategories([]));
    const { record } = book.write("", zhang, ms("16:00"), empty);
    book.written(record);
    expect(book.acknowledge("other", zhang, ms("16:05"))).toBeNull();
    const op = book.acknowledge(record.id, { id: "op-1", name: "李娜" }, ms("16:05"));
    expect(op).toEqual({ op: "handoverAck", id: record.id, by: { id: "op-1", name: "李娜" }, at: at("16:05") });
    if (op) book.acknowledged(op.id, op.by, op.at);
    expect(book.pending()).toBeNull();
    expect(book.acknowledge(record.id, zhang, ms("16:06"))).toBeNull();
  });

  it("begins the shift at the kept record after a restart, waiting or not", () => {
    const book = new HandoverBook(ms("18:00"), indexCategories([]));
    const earlier = new HandoverBook(ms("08:00"), indexCategories([])).write("", zhang, ms("16:00"), empty).record;
    book.load({ ...earlier, acknowledged: { by: zhang, at: at("16:05") } });
    expect(book.shiftStartedAt).toBe(at("16:00"));
    expect(book.pending()).toBeNull();
  });
});
