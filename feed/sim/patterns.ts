import { beijingParts } from "../../shared/domain/time.js";
import type { Source } from "./types.js";

/*
 * When and how cases arrive, by category, in Beijing time. Shapes follow what
 * a sub-center sees: hawkers and parking peak in the evening and at breakfast,
 * rubbish in the morning, noise and disputes in the evening and at weekends,
 * facilities during daylight rounds; the hotline runs day and night, patrol
 * reports only come from staff on duty.
 */

type Profile = readonly number[];

// 24 hourly weights each, normalised below to a mean of 1.
const PROFILES = {
  day: [0.1, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 0.9, 1.6, 2, 2, 1.8, 1.3, 1.6, 1.9, 1.9, 1.7, 1.3, 0.9, 0.6, 0.4, 0.3, 0.2, 0.1],
  evening: [0.4, 0.2, 0.1, 0.05, 0.05, 0.2, 0.9, 1.4, 1.2, 0.8, 0.7, 0.9, 1, 0.7, 0.6, 0.7, 1, 1.8, 2.6, 2.8, 2.5, 1.8, 1.1, 0.7],
  morning: [0.2, 0.1, 0.1, 0.1, 0.3, 0.9, 1.8, 2.4, 2.3, 1.9, 1.5, 1.2, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2],
  night: [1.4, 1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 0.7, 0.7, 0.7, 0.8, 1, 1.4, 1.8, 2.1, 2.3, 2.1, 1.8],
  meals: [0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 1, 0.8, 0.7, 1.2, 2, 2, 1, 0.7, 0.7, 1, 2, 2.4, 1.8, 1, 0.7, 0.5, 0.4],
  flat: [0.7, 0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1, 1.1, 1.2, 1.2, 1.2, 1.1, 1.1, 1.1, 1.1, 1.1, 1.2, 1.2, 1.2, 1.1, 1, 0.9, 0.8],
} satisfies Record<string, Profile>;

type ProfileName = keyof typeof PROFILES;
const NORMALISED = Object.fromEntries(
  Object.entries(PROFILES).map(([name, values]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return [name, values.map((v) => v / mean)];
  }),
) as Record<ProfileName, number[]>;

export type CategoryPattern = {
  /** Share of a day's cases, before the time-of-day shape. */
  share: number;
  profile: ProfileName;
  /** Multiplier on Saturdays and Sundays. */
  weekend: number;
  /** Where reports of this category come from. */
  sources: Partial<Record<Exclude<Source, "console" | "sensor" | "other">, number>>;
};

const P = (share: number, profile: ProfileName, weekend: number, patrol: number, hotline: number, app: number): CategoryPattern => ({
  share,
  profile,
  weekend,
  sources: { patrol, hotline, resident_app: app },
});

export const PATTERNS: Record<string, CategoryPattern> = {
  "0101": P(6, "evening", 1.6, 0.15, 0.6, 0.25),
  "0102": P(2, "night", 1.5, 0.05, 0.85, 0.1),
  "0103": P(1.5, "day", 0.5, 0.2, 0.7, 0.1),
  "0104": P(4, "evening", 1.3, 0.1, 0.6, 0.3),
  "0201": P(1.5, "night", 1, 0.5, 0.4, 0.1),
  "0202": P(1, "flat", 1, 0.2, 0.6, 0.2),
  "0203": P(0.2, "day", 0.8, 0.6, 0.4, 0),
  "0301": P(0.3, "meals", 1.2, 0.05, 0.9, 0.05),
  "0302": P(0.6, "day", 1, 0.4, 0.4, 0.2),
  "0303": P(3, "night", 1.2, 0.7, 0.15, 0.15),
  "0304": P(3, "night", 1.1, 0.6, 0.2, 0.2),
  "0305": P(0.5, "day", 0.8, 0.7, 0.2, 0.1),
  "0401": P(9, "morning", 1.1, 0.7, 0.1, 0.2),
  "0402": P(4, "day", 0.9, 0.85, 0.05, 0.1),
  "0403": P(6, "night", 1.3, 0.05, 0.7, 0.25),
  "0501": P(10, "evening", 1.25, 0.8, 0.05, 0.15),
  "0502": P(9, "evening", 1.3, 0.5, 0.2, 0.3),
  "0503": P(1.5, "day", 0.7, 0.6, 0.3, 0.1),
  "0601": P(0.6, "day", 1, 0.6, 0.3, 0.1),
  "0602": P(0.3, "flat", 1, 0.5, 0.5, 0),
  "0603": P(3, "night", 1, 0.5, 0.2, 0.3),
  "0701": P(1, "day", 0.8, 0.7, 0.1, 0.2),
  "0702": P(1.5, "day", 0.7, 0.5, 0.5, 0),
  "0703": P(2, "day", 0.7, 0.6, 0.4, 0),
  "0801": P(0.15, "meals", 1.1, 0.1, 0.9, 0),
  "0802": P(0.2, "flat", 1.2, 0.2, 0.8, 0),
};

const FALLBACK: CategoryPattern = P(1, "day", 1, 0.5, 0.3, 0.2);
export const patternOf = (code: string): CategoryPattern => PATTERNS[code] ?? FALLBACK;

/** Cases per grid per day in an average grid: about what a Dongcheng grid files. */
export const CASES_PER_GRID_DAY = 1.6;

/** Relative arrival weight of a category at an instant (Beijing hour, weekend or not). */
export function categoryWeight(code: string, at: number): number {
  const parts = beijingParts(at);
  const pattern = patternOf(code);
  const weekend = parts.weekday === 0 || parts.weekday === 6;
  return pattern.share * (NORMALISED[pattern.profile][parts.hour] ?? 1) * (weekend ? pattern.weekend : 1);
}

/** The highest the total weight can be at any hour, for thinning a Poisson process. */
export function peakTotalWeight(codes: readonly string[]): number {
  let peak = 0;
  for (let hour = 0; hour < 24; hour++) {
    let total = 0;
    for (const code of codes) {
      const pattern = patternOf(code);
      total += pattern.share * (NORMALISED[pattern.profile][hour] ?? 1) * Math.max(1, pattern.weekend);
    }
    peak = Math.max(peak, total);
  }
  return peak;
}

export const totalShare = (codes: readonly string[]): number => codes.reduce((sum, code) => sum + patternOf(code).share, 0);
