import type { Operator } from "../protocol/types.js";

/*
 * 推送上墙: an operator puts the case, staff member or grid they are looking
 * at on the wall (the briefing page, the patrol screen and the Electron wall
 * window, whatever it shows), and takes it back. The engine keeps the one push (electron/engine/wall.ts) and tells
 * every page; the wall draws the item from what it already holds, masked as
 * the briefing is, so a push carries ids and the pusher, never personal data.
 * Times are ISO.
 */

/**
 * The Electron wall window's URL says it is the wall (`?screen=wall`): a
 * console shown there is the wall, and a push is drawn over its map, while
 * the same console at an operator's desk is left alone.
 */
export const WALL_SCREEN_PARAM = "screen";
export const WALL_SCREEN_VALUE = "wall";

export const WALL_PUSH_KINDS = ["incident", "unit", "grid"] as const;
export type WallPushKind = (typeof WALL_PUSH_KINDS)[number];

export type WallPush = {
  /** This push's own id: a take-back names it, so an old page cannot take back a newer push. */
  pushId: string;
  kind: WallPushKind;
  /** The case id, the staff member's unit id, or the grid's code. */
  targetId: string;
  by: Operator;
  at: string;
  /** When the wall goes back to its rotation by itself. */
  until: string;
};

export type WallState = { push: WallPush | null };

/** How long a push stays up when the configuration says nothing (wallPushMinutes). */
export const WALL_PUSH_DEFAULT_MINUTES = 5;
export const WALL_PUSH_MAX_MINUTES = 240;
