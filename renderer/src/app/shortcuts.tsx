import { createContext, useContext, useEffect, useRef } from "react";
import { shortcutFor, type Shortcut } from "../actions/shortcuts.js";

/**
 * One keydown listener for the whole wall; features subscribe to the
 * shortcuts they handle. A handler returns true when it used the key, so the
 * browser's default (scrolling on arrows) is stopped only then.
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
    const shortcut = shortcutFor(event, typing);
    if (!shortcut) return;
    let used = false;
    for (const handler of [...this.handlers]) used = handler(shortcut) || used;
    if (used) event.preventDefault();
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
