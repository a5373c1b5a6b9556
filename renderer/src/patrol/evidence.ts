import type { PatrolEvidence, PatrolReason, PatrolVerdict } from "../../../shared/bridge/contract.js";
import { beijingParts, formatClock, startOfBeijingDay } from "../../../shared/domain/time.js";
import { fill } from "../i18n/index.js";
import type { PatrolText } from "./messages.js";

/*
 * The evidence of a patrol check in plain words: when (Beijing time, with the
 * day when it is not today), where, how long, and compared with what. The
 * engine sends figures (contract.ts PatrolEvidence); the words are made here,
 * in the page's language, so the list, the staff card and the map say the same.
 */

export type EvidenceContext = {
  text: PatrolText;
  /** Now (epoch ms): a finding from another day names its day. */
  now: number;
  /** A staff member's name as this view may show it (masked in briefing). */
  nameOf: (unitId: string) => string;
  /** The grid (or other area) a point lies in, by name; undefined where unknown. */
  placeOf?: (lon: number, lat: number) => string | undefined;
};

export const VERDICT_ICONS: Record<PatrolVerdict, string> = { suspect: "⚠", insufficient: "◌", ok: "✓" };

export const verdictWord = (verdict: PatrolVerdict, text: PatrolText): string => text[`verdict_${verdict}`];
export const reasonWord = (reason: PatrolReason, text: PatrolText): string => text[`reason_${reason}`];

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `12月4日` / `Dec 4`. */
export function dayName(ms: number, text: PatrolText): string {
  const p = beijingParts(ms);
  return fill(text.dayName, { month: p.month, monthName: MONTHS_EN[p.month - 1] ?? "", day: p.day });
}

/** A Beijing date (YYYY-MM-DD) as `12月4日` / `Dec 4`; anything else as given. */
export function dateName(date: string, text: PatrolText): string {
  const ms = Date.parse(`${date}T12:00:00+08:00`);
  return Number.isFinite(ms) ? dayName(ms, text) : date;
}

/** `09:12` in Beijing time. */
export const clockMinutes = (ms: number): string => formatClock(ms).slice(0, 5);

/** `09:12–11:40`, or `12月4日 09:12–11:40` when the range starts on another day than `now`. */
export function timeRange(from: number, to: number, now: number, text: PatrolText): string {
  return `${dayPrefix(from, now, text)}${clockMinutes(from)}–${clockMinutes(to)}`;
}

export function instant(at: number, now: number, text: PatrolText): string {
  return `${dayPrefix(at, now, text)}${clockMinutes(at)}`;
}

function dayPrefix(ms: number, now: number, text: PatrolText): string {
  if (startOfBeijingDay(ms) === startOfBeijingDay(now)) return "";
  const p = beijingParts(ms);
  return fill(text.dayPrefix, { month: p.month, monthName: MONTHS_EN[p.month - 1] ?? "", day: p.day });
}

/** `18 米`, `1.8 公里` (a kilometre and more to one decimal). */
export function distance(meters: number, text: PatrolText): string {
  if (meters < 1000) return fill(text.meters, { n: Math.max(0, Math.round(meters)) });
  return fill(text.kilometers, { n: trimZero((meters / 1000).toFixed(meters < 100_000 ? 1 : 0)) });
}

/** `48 分钟`, `2 小时 28 分`, `3 小时`; under a minute, `40 秒`. */
export function duration(ms: number, text: PatrolText): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return fill(text.seconds, { n: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return fill(text.minutes, { n: minutes });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? fill(text.hours, { h }) : fill(text.hoursMinutes, { h, m });
}

/** A gap between two fixes: `40 秒`, `3 分 20 秒`. */
export function gap(seconds: number, text: PatrolText): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return fill(text.seconds, { n: s });
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? fill(text.minutes, { n: m }) : fill(text.minutesSeconds, { m, s: s % 60 });
}

/** `45 米/秒`: one decimal below 10. */
export function speed(mps: number, text: PatrolText): string {
  return fill(text.speedMps, { n: mps < 10 ? trimZero(mps.toFixed(1)) : Math.round(mps) });
}

const trimZero = (value: string): string => value.replace(/\.0$/, "");

/** One finding in a sentence. */
export function describeEvidence(evidence: PatrolEvidence, context: EvidenceContext): string {
  const { text, now } = context;
  const place = (lon: number, lat: number): string => {
    const name = context.placeOf?.(lon, lat);
    return name ? fill(text.place, { place: name }) : "";
  };
  switch (evidence.reason) {
    case "stationary":
      return fill(text.evStationary, {
        when: timeRange(evidence.from, evidence.to, now, text),
        radius: distance(evidence.radiusM, text),
        duration: duration(evidence.to - evidence.from, text),
        place: place(evidence.lon, evidence.lat),
      });
    case "speed":
      return fill(text.evSpeed, {
        when: instant(evidence.from, now, text),
        seconds: gap(evidence.seconds, text),
        distance: distance(evidence.distanceM, text),
        speed: speed(evidence.speedMps, text),
        kmh: fill(text.speedKmh, { n: Math.round(evidence.speedMps * 3.6) }),
        place: place(evidence.lon, evidence.lat),
      });
    case "twin":
      return fill(text.evTwin, {
        when: timeRange(evidence.from, evidence.to, now, text),
        other: context.nameOf(evidence.otherUnitId),
        duration: duration(evidence.sharedMinutes * 60_000, text),
        gap: distance(evidence.meanGapM, text),
      });
    case "replay":
      return fill(text.evReplay, {
        when: timeRange(evidence.from, evidence.to, now, text),
        day: dateName(evidence.sourceDay, text),
        share: fill(text.percent, { n: matchedShare(evidence) }),
        duration: duration(evidence.matchedMinutes * 60_000, text),
        gap: distance(evidence.medianGapM, text),
      });
  }
}

/** The replayed share of the finding's span, in whole percent (never over 100). */
export function matchedShare(evidence: { from: number; to: number; matchedMinutes: number }): number {
  const span = evidence.to - evidence.from;
  if (!(span > 0)) return 100;
  return Math.min(100, Math.round((evidence.matchedMinutes * 60_000 * 100) / span));
}

/** The short label drawn beside a finding on the map. */
export function evidenceLabel(evidence: PatrolEvidence, context: Pick<EvidenceContext, "text" | "nameOf">): string {
  const { text } = context;
  switch (evidence.reason) {
    case "stationary":
      return fill(text.mapStill, { duration: duration(evidence.to - evidence.from, text) });
    case "speed":
      return fill(text.mapJump, { speed: speed(evidence.speedMps, text) });
    case "twin":
      return fill(text.mapTwin, { other: context.nameOf(evidence.otherUnitId) });
    case "replay":
      return fill(text.mapReplay, { day: dateName(evidence.sourceDay, text) });
  }
}
