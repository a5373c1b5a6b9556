/*
 * Beijing time (Asia/Shanghai, UTC+8, no daylight saving since 1991) for
 * everything on screen, whatever the machine's zone. Done with fixed-offset
 * arithmetic rather than Intl so it is cheap in hot paths and identical everywhere.
 */

export const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Epoch milliseconds, branded so they are not confused with other numbers. */
export type EpochMs = number & { readonly __brand: "EpochMs" };
/** An ISO 8601 string with an offset. */
export type IsoTime = string & { readonly __brand: "IsoTime" };

export const toEpochMs = (iso: string): EpochMs => Date.parse(iso) as EpochMs;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Calendar fields of the instant as seen in Beijing. */
export function beijingParts(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** `2026-11-22T09:30:00.000+08:00` */
export function toBeijingIso(time: number): IsoTime {
  // Fractional milliseconds (simulated clocks, performance.now arithmetic) would print as "123.456".
  const ms = Math.floor(time);
  const p = beijingParts(ms);
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${millis}+08:00` as IsoTime;
}

/** `09:30:05` */
export const formatClock = (ms: number): string => {
  const p = beijingParts(ms);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
};

/** `2026-11-22` */
export const formatDate = (ms: number): string => {
  const p = beijingParts(ms);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
};

/** `11-22 09:30` */
export const formatShort = (ms: number): string => {
  const p = beijingParts(ms);
  return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
};

/** Epoch ms of 00:00 Beijing time on the day containing `ms`. */
export function startOfBeijingDay(ms: number): EpochMs {
  const shifted = ms + BEIJING_OFFSET_MS;
  return (shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - BEIJING_OFFSET_MS) as EpochMs;
}

/** The Monday (Beijing date, `2026-11-30`) of the week containing `ms`: weeks start on Monday in China. */
export function mondayOf(ms: number): string {
  const weekday = beijingParts(ms).weekday;
  return formatDate(startOfBeijingDay(ms) - ((weekday + 6) % 7) * 86_400_000 + 12 * 3_600_000);
}
