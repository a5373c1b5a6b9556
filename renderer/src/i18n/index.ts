import { useUiSelector } from "../state/context.js";
import type { Language } from "../state/ui.js";

/*
 * Each feature defines its own messages, Chinese first; the English table must
 * have exactly the same keys (the type says so), so no word is left untranslated.
 */
export type Messages<K extends string> = { "zh-CN": Record<K, string>; en: Record<K, string> };

export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

export function useMessages<K extends string>(messages: Messages<K>): Record<K, string> {
  const language = useUiSelector((s) => s.language);
  return messages[language];
}

export function pick<K extends string>(messages: Messages<K>, language: Language): Record<K, string> {
  return messages[language];
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}
