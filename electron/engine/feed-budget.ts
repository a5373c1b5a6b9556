/*
 * What the feed may cost the console in memory and in log lines, whatever it
 * sends: a cheap size estimate for parsed messages, a byte-capped buffer for
 * deltas waiting on a hole, and a log that says each kind of dropped message
 * at most once per window, with a count of the ones it did not say.
 */

/**
 * About the JSON length of `value` (strings by their length, numbers as 8
 * bytes, a few bytes per key and bracket), stopping once past `limit`: the
 * caps compare it against bytes, and a message that already parsed is at
 * least this big in memory.
 */
export function estimateBytes(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && bytes <= limit) {
    const item = stack.pop();
    if (typeof item === "string") bytes += item.length + 2;
    else if (typeof item === "number") bytes += 8;
    else if (typeof item === "boolean" || item === null || item === undefined) bytes += 4;
    else if (Array.isArray(item)) {
      bytes += 2 + item.length;
      for (const element of item) stack.push(element);
    } else if (typeof item === "object") {
      bytes += 2;
      for (const key in item) {
        bytes += key.length + 4;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return bytes;
}

/** Deltas kept until the ones before them arrive, capped by count and by estimated bytes. */
export class DeltaBuffer<T extends { seq: number }> {
  private readonly deltas = new Map<number, { delta: T; bytes: number }>();
  private total = 0;

  constructor(private readonly limits: { count: number; bytes: number }) {}

  get size(): number {
    return this.deltas.size;
  }

  get bytes(): number {
    return this.total;
  }

  /** Keeps it; false (and nothing kept) when that would pass either cap. */
  add(delta: T): boolean {
    if (this.deltas.has(delta.seq)) return true;
    const room = this.limits.bytes - this.total;
    const bytes = estimateBytes(delta, room);
    if (this.deltas.size >= this.limits.count || bytes > room) return false;
    this.deltas.set(delta.seq, { delta, bytes });
    this.total += bytes;
    return true;
  }

  get(seq: number): T | undefined {
    return this.deltas.get(seq)?.delta;
  }

  delete(seq: number): void {
    const entry = this.deltas.get(seq);
    if (!entry) return;
    this.deltas.delete(seq);
    this.total -= entry.bytes;
  }

  /** Forgets every delta `stale` says is of no more use. */
  prune(stale: (delta: T) => boolean): void {
    for (const { delta } of [...this.deltas.values()]) if (stale(delta)) this.delete(delta.seq);
  }

  highestSeq(): number {
    let highest = 0;
    for (const seq of this.deltas.keys()) highest = Math.max(highest, seq);
    return highest;
  }

  clear(): void {
    this.deltas.clear();
    this.total = 0;
  }
}

type Level = "info" | "warn" | "error";
export type Log = (level: Level, message: string, fields?: Record<string, unknown>) => void;

/**
 * One line per key per window: the first occurrence is logged with its
 * detail; the rest of the window only counts, and the window's end logs the
 * count (and the last detail), opening the next window if there was any.
 * A flood of junk costs a line every `windowMs`, not a line per message.
 */
export class SummarisedLog {
  private readonly keys = new Map<string, { timer: NodeJS.Timeout | null; suppressed: number; level: Level; message: string; last: Record<string, unknown> | undefined }>();

  constructor(
    private readonly log: Log,
    private readonly windowMs: number,
  ) {}

  note(key: string, level: Level, message: string, fields?: Record<string, unknown>): void {
    const entry = this.keys.get(key);
    if (entry?.timer) {
      entry.suppressed++;
      entry.level = level;
      entry.last = fields;
      return;
    }
    this.log(level, message, fields);
    this.keys.set(key, { timer: this.timer(key), suppressed: 0, level, message, last: undefined });
  }

  /** Logs what is still only counted and stops the timers. */
  flush(): void {
    for (const [key, entry] of this.keys) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      this.summarise(key, entry);
    }
    this.keys.clear();
  }

  private timer(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const entry = this.keys.get(key);
      if (!entry) return;
      entry.timer = null;
      if (this.summarise(key, entry)) entry.timer = this.timer(key);
      else this.keys.delete(key);
    }, this.windowMs);
    timer.unref();
    return timer;
  }

  private summarise(key: string, entry: { suppressed: number; level: Level; message: string; last: Record<string, unknown> | undefined }): boolean {
    if (entry.suppressed === 0) return false;
    this.log(entry.level, `${entry.message} (${entry.suppressed} more in the last ${Math.round(this.windowMs / 1000)} s)`, { key, more: entry.suppressed, ...entry.last });
    entry.suppressed = 0;
    entry.last = undefined;
    return true;
  }
}
