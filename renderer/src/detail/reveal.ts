/*
 * Revealing a reporter: the operator says why (a common reason, or their own
 * words), the engine audits it, and the page masks the reporter again after a
 * minute. Pure, so the rules are tested without a DOM.
 */

/** How long a revealed name and phone stay on screen. */
export const REVEAL_SHOWN_MS = 60_000;

export const REVEAL_REASONS = ["callback", "siteDetails", "staffContact", "supervision", "other"] as const;
export type RevealReasonCode = (typeof REVEAL_REASONS)[number];

/** Keeps the audit's reason within the bridge's limit for short text. */
const REASON_MAX = 200;

/**
 * The reason as the audit records it, or null when there is none yet: a common reason by its label in the
 * audit's language (Chinese, whatever the screen shows), the operator's words after it; "other" needs words.
 */
export function revealReason(code: RevealReasonCode | "", words: string, auditLabels: Record<RevealReasonCode, string>): string | null {
  const text = words.trim().replace(/\s+/g, " ");
  if (code === "") return null;
  if (code === "other") return text === "" ? null : text.slice(0, REASON_MAX);
  const label = auditLabels[code];
  return (text === "" ? label : `${label}：${text}`).slice(0, REASON_MAX);
}

/** Whether a reveal made at `revealedAt` must be masked again at `now`. */
export function revealExpired(revealedAt: number, now: number): boolean {
  return now - revealedAt >= REVEAL_SHOWN_MS || now < revealedAt;
}
