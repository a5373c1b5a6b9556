import { describe, expect, it } from "vitest";
import { decodeBinaryFrame, decodeWithAttachments, encodeBinaryFrame, encodeWithAttachments, HEADER_BYTES } from "./wire.js";

describe("bridge wire format", () => {
  it("round-trips positions through one binary frame, NaN included", () => {
    const data = new Float64Array([7, 116.41, 39.91, 1_763_800_000_000, Number.NaN, 1.5]);
    const frame = encodeBinaryFrame("positions", data);
    expect(frame.byteLength).toBe(HEADER_BYTES + data.byteLength);
    const decoded = decodeBinaryFrame(frame);
    expect(decoded?.kind).toBe("positions");
    expect(Array.from(decoded?.data ?? []).slice(0, 4)).toEqual([7, 116.41, 39.91, 1_763_800_000_000]);
    expect(Number.isNaN(decoded?.data[4])).toBe(true);
  });

  it("decodes a frame that sits at an unaligned offset of a larger buffer", () => {
    const frame = encodeBinaryFrame("attachment", new Float64Array([1, 2]));
    const padded = new Uint8Array(frame.byteLength + 3);
    padded.set(frame, 3);
    expect(Array.from(decodeBinaryFrame(padded.subarray(3))?.data ?? [])).toEqual([1, 2]);
  });

  it("rejects frames with a wrong magic, an unknown kind or a length that disagrees with the header", () => {
    const frame = encodeBinaryFrame("positions", new Float64Array([1]));
    expect(decodeBinaryFrame(frame.subarray(0, 12))).toBeNull();
    const wrongKind = frame.slice();
    wrongKind[3] = 9;
    expect(decodeBinaryFrame(wrongKind)).toBeNull();
    const wrongMagic = frame.slice();
    wrongMagic[0] = 0;
    expect(decodeBinaryFrame(wrongMagic)).toBeNull();
    expect(decodeBinaryFrame(new Uint8Array(4))).toBeNull();
  });

  it("moves typed arrays out of a JSON message and puts them back", () => {
    const positions = new Float64Array([1, 2, 3]);
    const { text, attachments } = encodeWithAttachments({ type: "reply", id: 1, result: { ok: true, value: { positions: { data: positions }, name: "网格" } } });
    expect(text).not.toContain("1,2,3");
    expect(attachments).toEqual([positions]);
    const decoded = decodeWithAttachments(text, attachments) as { result: { value: { positions: { data: Float64Array }; name: string } } };
    expect(decoded.result.value.positions.data).toBe(positions);
    expect(decoded.result.value.name).toBe("网格");
    expect(() => decodeWithAttachments(text, [])).toThrow(/missing attachment 0/);
  });

  it("carries Uint32Arrays (the map's grid counts) as u32 attachment frames beside Float64Arrays, each put back as its own type", () => {
    const open = new Uint32Array([0, 3, 4_000_000_000]);
    const positions = new Float64Array([1.5]);
    const { text, attachments } = encodeWithAttachments({ type: "event", name: "gridCounts", payload: { layer: "3:abc", at: 1, open, positions } });
    expect(text).toContain('{"$u32":0}');
    expect(text).toContain('{"$f64":1}');
    const frames = attachments.map((data) => decodeBinaryFrame(encodeBinaryFrame(data instanceof Uint32Array ? "u32" : "attachment", data)));
    expect(frames.map((frame) => frame?.kind)).toEqual(["u32", "attachment"]);
    const decoded = decodeWithAttachments(text, frames.map((frame) => frame?.data as Uint32Array | Float64Array)) as { payload: { open: Uint32Array; positions: Float64Array; layer: string } };
    expect(decoded.payload.open).toBeInstanceOf(Uint32Array);
    expect([...decoded.payload.open]).toEqual([0, 3, 4_000_000_000]);
    expect(decoded.payload.positions).toBeInstanceOf(Float64Array);
    expect(decoded.payload.layer).toBe("3:abc");
    // A reference to the wrong kind of array is refused, not read as the other.
    expect(() => decodeWithAttachments(text, [positions, open])).toThrow(/missing attachment 0 \(u32\)/);
    const u32Frame = encodeBinaryFrame("u32", open);
    expect(decodeBinaryFrame(u32Frame.subarray(0, u32Frame.byteLength - 1))).toBeNull();
  });

  it("leaves arrays as they are: 100,000 cases beside the positions are not walked, and a look-alike inside one stays text", () => {
    const positions = new Float64Array([4, 5]);
    const incidents = Array.from({ length: 100_000 }, (_, i) => ({ id: `BJ${i}`, title: "井盖缺失", tags: ["a"] }));
    const message = { type: "reply" as const, id: 2, result: { ok: true as const, value: { incidents, positions: { data: positions }, note: [{ $f64: 0 }] } } };
    const { text, attachments } = encodeWithAttachments(message);
    expect(attachments).toEqual([positions]);
    const decoded = decodeWithAttachments(text, attachments) as { result: { value: { incidents: { id: string }[]; positions: { data: Float64Array }; note: unknown[] } } };
    expect(decoded.result.value.positions.data).toBe(positions);
    expect(decoded.result.value.incidents).toHaveLength(100_000);
    expect(decoded.result.value.incidents[99_999]).toEqual({ id: "BJ99999", title: "井盖缺失", tags: ["a"] });
    // Only objects reached through objects are references: a case's own `{"$f64": 0}` is data.
    expect(decoded.result.value.note).toEqual([{ $f64: 0 }]);
  });
});
