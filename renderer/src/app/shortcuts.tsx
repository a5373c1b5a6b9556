import { createContext, useContext, useEffect, useRef } from "react";
import { shortcutFor, type Shortcut } from "../actions/shortcuts.js";

/**
 * One keydown listener for the whole wall; features subscribe to the
 * shortcuts they handle. The newest subscriber is asked first (a form opened
 * over the detail gets Escape before the detail does) and the first handler
 * that returns true takes the key, which also stops the browser's default.
 */
export class ShortcutBus {
  private handlers = new Set<(shortcut: Shortcut) => boolean>();

  on(handler: (shortcut: Shortcut) => boolean): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  handle(event: KeyboardEvent): void {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    // Enter on a focused button or link is that control's own activation, not "open the case".
    if (event.key === "Enter" && target instanceof HTMLElement && target.closest("button, a, [role='button']")) return;
    const shortcut = shortcutFor(event, typing);
    if (!shortcut) return;
    for (const handler of [...this.handlers].reverse()) {
      if (handler(shortcut)) {
        event.preventDefault();
        return;
      }
    }
  }
}

export const ShortcutContext = createContext<ShortcutBus | null>(null);

/** Subscribes `handler` (latest render's closure) to the wall's shortcuts. */
export function useShortcuts(handler: (shortcut: Shortcut) => boolean): void {
  const bus = useContext(ShortcutContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => bus?.on((shortcut) => latest.current(shortcut)), [bus]);
}
