import type { BridgeCallName, BridgeEventName, Result } from "./contract.js";

/*
 * How the bridge travels over the web host's WebSocket (/bridge). Electron's
 * IPC needs none of this: structured clone carries typed arrays as they are.
 *
 * Text frames are JSON. Float64Arrays never go through JSON (a 10,000-unit
 * position update would become 60,000 decimal strings): a positions event is
 * one binary frame, and a reply holding typed arrays (getInitialState) is sent
 * as binary "attachment" frames followed by the JSON reply that points at them
 * with `{"$f64": index}`. WebSocket keeps frame order, so the attachments of a
 * reply always arrive just before it. Uint32Arrays (the map's grid counts,
 * contract `GridCounts`) travel the same way as `u32` attachment frames,
 * pointed at with `{"$u32": index}` (one numbering for both kinds).
 */

export const WIRE_SUBPROTOCOL = "grid-console.bridge.v1";
/** The per-launch secret rides as a second subprotocol, so it never appears in a URL or a log line. */
export const SECRET_SUBPROTOCOL_PREFIX = "grid-console.secret.";
export const BRIDGE_PATH = "/bridge";
/** The meta tag through which the served page receives the per-launch secret. */
export const SECRET_META_NAME = "grid-console-bridge-secret";

export type ClientMessage = { id: number; name: BridgeCallName; request: unknown };
/**
 * `resync`: the host dropped pushed events for this page because it fell too far
 * behind reading them; the page rebuilds its picture from getInitialState.
 */
export type ServerMessage =
  | { type: "reply"; id: number; result: Result<unknown> }
  | { type: "event"; name: BridgeEventName; payload: unknown }
  | { type: "resync" };

const MAGIC_0 = 0x47; // "G"
const MAGIC_1 = 0x43; // "C"
const WIRE_VERSION = 1;
export const HEADER_BYTES = 8;
export const FRAME_KIND = { positions: 1, attachment: 2, u32: 3 } as const;
export type FrameKind = keyof typeof FRAME_KIND;

/*
 * WARNING: the payload is the Float64Array's own bytes in the machine's order.
 * Both ends run on the same machine (loopback only), so the order always agrees.
 */
export function encodeBinaryFrame(kind: FrameKind, data: Float64Array | Uint32Array): Uint8Array {
  const frame = new Uint8Array(HEADER_BYTES + data.byteLength);
  const header = new DataView(frame.buffer);
  header.setUint8(0, MAGIC_0);
  header.setUint8(1, MAGIC_1);
  header.setUint8(2, WIRE_VERSION);
  header.setUint8(3, FRAME_KIND[kind]);
  header.setUint32(4, data.length, true);
  frame.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), HEADER_BYTES);
  return frame;
}

export type BinaryFrame = { kind: "positions" | "attachment"; data: Float64Array } | { kind: "u32"; data: Uint32Array };
/** A typed array that travels as an attachment frame. */
export type Attachment = Float64Array | Uint32Array;

export function decodeBinaryFrame(bytes: ArrayBuffer | Uint8Array): BinaryFrame | null {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.byteLength < HEADER_BYTES) return null;
  const header = new DataView(view.buffer, view.byteOffset, HEADER_BYTES);
  if (header.getUint8(0) !== MAGIC_0 || header.getUint8(1) !== MAGIC_1 || header.getUint8(2) !== WIRE_VERSION) return null;
  const code = header.getUint8(3);
  const kind = code === FRAME_KIND.positions ? "positions" : code === FRAME_KIND.attachment ? "attachment" : code === FRAME_KIND.u32 ? "u32" : null;
  if (kind === null) return null;
  const count = header.getUint32(4, true);
  if (kind === "u32") {
    if (view.byteLength !== HEADER_BYTES + count * 4) return null;
    const data = new Uint32Array(count);
    new Uint8Array(data.buffer).set(view.subarray(HEADER_BYTES));
    return { kind, data };
  }
  if (view.byteLength !== HEADER_BYTES + count * 8) return null;
  // Copy into a fresh, aligned buffer: the incoming bytes may sit at any offset.
  const data = new Float64Array(count);
  new Uint8Array(data.buffer).set(view.subarray(HEADER_BYTES));
  return { kind, data };
}

/*
 * WARNING: no replacer or reviver functions here. Either makes V8 call back
 * into JavaScript for every value of the message, which cost seconds for a
 * city's initial state (tens of MB) on both sides of the socket. Typed arrays
 * are swapped out by a walk that copies only the objects on the way to one,
 * and put back by a walk that runs only when the text holds a reference.
 *
 * WARNING: the walks follow objects, not arrays: a Float64Array travels as an
 * attachment when it is reached through objects only (the contract's
 * `PositionsBatch.data`, in an initial state or an event). Arrays are where
 * the bulk of a message is (100,000 cases, 60,000 staff), and walking them cost
 * a visit to every value of every case on both sides of the socket for the one
 * typed array beside them. A Float64Array put inside an array would travel as
 * a plain JSON object of indices: the contract has none, and must not.
 */

/** JSON for a message, with every Float64Array and Uint32Array in it moved out to attachments. */
export function encodeWithAttachments(message: ServerMessage): { text: string; attachments: Attachment[] } {
  const attachments: Attachment[] = [];
  const text = JSON.stringify(withoutFloat64Arrays(message, attachments));
  return { text, attachments };
}

/** `value` with each Float64Array replaced by `{ $f64: index }` (Uint32Array: `{ $u32: index }`), in JSON.stringify's visiting order; unchanged parts are shared, not copied. */
function withoutFloat64Arrays(value: unknown, attachments: Attachment[]): unknown {
  if (value instanceof Float64Array) {
    attachments.push(value);
    return { $f64: attachments.length - 1 };
  }
  if (value instanceof Uint32Array) {
    attachments.push(value);
    return { $u32: attachments.length - 1 };
  }
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const next = withoutFloat64Arrays(item, attachments);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/** Parses a text frame, putting back the attachments that preceded it. */
export function decodeWithAttachments(text: string, attachments: readonly Attachment[]): unknown {
  const value: unknown = JSON.parse(text);
  // The encoder writes every reference as `{"$f64":n}` or `{"$u32":n}`: text without those keys holds none.
  return text.includes('"$f64"') || text.includes('"$u32"') ? withAttachments(value, attachments) : value;
}

function withAttachments(value: unknown, attachments: readonly Attachment[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  const ref = attachmentRef(value);
  if (ref) {
    const data = attachments[ref.index];
    if (!(ref.kind === "f64" ? data instanceof Float64Array : data instanceof Uint32Array)) throw new Error(`missing attachment ${ref.index} (${ref.kind})`);
    return data;
  }
  if (Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const next = withAttachments(item, attachments);
    if (next !== item) record[key] = next;
  }
  return value;
}

function attachmentRef(value: object): { kind: "f64" | "u32"; index: number } | null {
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const index = (value as Record<string, unknown>)[keys[0] as string];
  if (typeof index !== "number") return null;
  return keys[0] === "$f64" ? { kind: "f64", index } : keys[0] === "$u32" ? { kind: "u32", index } : null;
}
