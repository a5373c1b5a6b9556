/*
 * The console's own pages live at app://console/…; nothing else may use the
 * bridge, navigate the windows, or be loaded into them. Electron-free, so the
 * rules are unit-tested.
 */

import { WALL_SCREEN_PARAM, WALL_SCREEN_VALUE } from "../../shared/bridge/wall.js";

export const APP_SCHEME = "app";
export const APP_HOST = "console";
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for app://console/… URLs (what IPC senders and navigations must be). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * Requests a window may make: its own app files, the data: and blob: URLs the
 * map and charts build, and tiles from the one tile server a deployment
 * configured (`tileOrigin`, from `tileServerOrigin`), if any.
 */
export function isAllowedRequest(url: string, tileOrigin?: string): boolean {
  if (isAppUrl(url) || url.startsWith("data:") || url.startsWith("blob:app://console/") || url.startsWith("devtools://")) return true;
  return tileOrigin !== undefined && originOf(url) === tileOrigin;
}

/** What a window shows: the operator console, the briefing, or the patrol check list (a second screen). */
export type WallView = "console" | "briefing" | "patrols";

/** The URL a window opens: the view it shows and, for the wall window, that it is the wall (a push is drawn over its console or patrol checks). */
export function windowUrl(view: WallView, screen: "wall" | "operator" = "operator"): string {
  const query = new URLSearchParams();
  if (view !== "console") query.set("view", view);
  if (screen === "wall") query.set(WALL_SCREEN_PARAM, WALL_SCREEN_VALUE);
  const search = query.toString();
  return search === "" ? APP_ENTRY : `${APP_ENTRY}?${search}`;
}
