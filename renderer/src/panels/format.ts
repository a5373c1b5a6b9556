import type { PanelMessages } from "./messages.js";

/*
 * How a KPI and its change read on the wall. Pure, so the words and signs
 * (never colour alone) are tested without a DOM.
 */

export type MetricKind = "count" | "rate" | "hours";
/** Which way is good news: more closures is better, more overdue cases is worse. */
export type GoodWhen = "up" | "down" | "neither";
export type Tone = "better" | "worse" | "neutral";

export const DASH = "—";

export function formatValue(value: number | null, kind: MetricKind): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  switch (kind) {
    case "count":
      return String(Math.round(value));
    case "rate":
      return `${(value * 100).toFixed(1)}%`;
    case "hours":
      return value.toFixed(1);
  }
}

export type ChangeView = { arrow: "▲" | "▼" | "＝" | ""; text: string; tone: Tone; words: string };

/** A change as arrow + signed number (+3, −2.5 pts), and the words a screen reader says. */
export function describeChange(delta: number | null, kind: MetricKind, goodWhen: GoodWhen, m: PanelMessages): ChangeView {
  if (delta === null || !Number.isFinite(delta)) return { arrow: "", text: DASH, tone: "neutral", words: m.noHistory };
  const magnitude = kind === "rate" ? Math.abs(delta * 100) : Math.abs(delta);
  const shown = kind === "count" ? String(Math.round(magnitude)) : magnitude.toFixed(1);
  // Rounding can make a tiny change read "0.0": call that flat rather than show an arrow over nothing.
  if (Number(shown) === 0) return { arrow: "＝", text: "0", tone: "neutral", words: m.flat };
  const up = delta > 0;
  const unit = kind === "rate" ? ` ${m.points}` : kind === "hours" ? m.hours : "";
  const tone: Tone = goodWhen === "neither" ? "neutral" : up === (goodWhen === "up") ? "better" : "worse";
  const toneWord = tone === "better" ? `，${m.better}` : tone === "worse" ? `，${m.worse}` : "";
  return {
    arrow: up ? "▲" : "▼",
    text: `${up ? "+" : "−"}${shown}${unit}`,
    tone,
    words: `${up ? m.up : m.down} ${shown}${unit}${toneWord}`,
  };
}

/** A character's width in em: CJK and full-width forms take a whole em, the rest (Latin, digits) about 0.6. */
const emWidth = (character: string): number => ((character.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6);

/**
 * A bar's name cut to `widthEm` ems with "…" at the end, or whole when it
 * fits: an SVG axis label does not wrap or ellipsize by itself, and a long
 * community name (建国门东大街社区居委会) otherwise runs off the chart's left
 * edge and loses its start. The whole name goes in the label's tooltip.
 */
export function fitName(name: string, widthEm: number): string {
  const characters = Array.from(name);
  const total = characters.reduce((sum, c) => sum + emWidth(c), 0);
  if (total <= widthEm) return name;
  let used = 1;
  let kept = "";
  for (const character of characters) {
    if (used + emWidth(character) > widthEm) break;
    used += emWidth(character);
    kept += character;
  }
  return `${kept}…`;
}
