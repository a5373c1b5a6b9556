import { EXPORT_VIEW_PARAM, EXPORT_VIEW_VALUE } from "../../../shared/bridge/export-route.js";
import { WALL_SCREEN_PARAM, WALL_SCREEN_VALUE } from "../../../shared/bridge/wall.js";

/**
 * Where a page draws what an operator pushed to the wall (推送上墙):
 * - `scene`: the briefing (`?view=briefing`) shows it in place of its scene;
 * - `overlay`: the patrol screen (`?view=patrols`, a wall or second screen)
 *   and a console that is the Electron wall window (`?screen=wall`) show it as
 *   a card over the map, leaving the header and the attention list in view;
 * - `none`: an operator's console (on the web host every console page is an
 *   operator's: a push must not take over their desk) and the printed pages.
 */
export type WallPushPlace = "scene" | "overlay" | "none";

export function wallPushPlace(search: string): WallPushPlace {
  const query = new URLSearchParams(search);
  if (query.get(EXPORT_VIEW_PARAM) === EXPORT_VIEW_VALUE) return "none";
  const view = query.get("view");
  if (view === "briefing") return "scene";
  if (view === "patrols") return "overlay";
  if (view === null && query.get(WALL_SCREEN_PARAM) === WALL_SCREEN_VALUE) return "overlay";
  return "none";
}
