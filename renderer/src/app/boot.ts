import type { Language } from "../state/ui.js";

/** Where the operator's language choice is remembered on this machine. */
export const LANGUAGE_STORAGE_KEY = "gridConsole.language";

const isLanguage = (value: unknown): value is Language => value === "zh-CN" || value === "en";

/** The operator's own choice wins over the deployment's default; Chinese when neither is valid. */
export function initialLanguage(stored: string | null, configured: string | undefined): Language {
  if (isLanguage(stored)) return stored;
  if (isLanguage(configured)) return configured;
  return "zh-CN";
}

/** `/?view=briefing` opens the console in briefing mode (the wall's leaders' view). */
export const isBriefingView = (search: string): boolean => new URLSearchParams(search).get("view") === "briefing";

/** `/?view=patrols` opens the patrol check list and the assessment on their own screen, with the map beside them. */
export const isPatrolsView = (search: string): boolean => new URLSearchParams(search).get("view") === "patrols";

/** A readable one-line reason from whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return "unknown error";
}
