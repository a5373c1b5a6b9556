import { useCallback } from "react";
import type { Result, WallPush, WallPushKind } from "../../../shared/bridge/contract.js";
import { useConsole, useDataSelector } from "../state/context.js";

/**
 * What is pushed to the wall now (推送上墙), as the data store holds it: from
 * the initial state, the engine's `wall` event, and the replay after a
 * reconnect or a resync (../bridge/resync.ts), so a page that missed the
 * take-back while it was away does not keep showing the push. A push past
 * its `until` counts as gone even before the engine's event says so, so a
 * wall never holds one longer.
 */
export function useWallPush(now: number): WallPush | null {
  const push = useDataSelector((s) => s.wall);
  return push && Date.parse(push.until) > now ? push : null;
}

/** The operator's calls: put an item up, take a push back. */
export function useWallActions(): { push: (kind: WallPushKind, id: string) => Promise<Result<WallPush>>; takeBack: (pushId: string) => Promise<Result<{ cleared: boolean }>> } {
  const { bridge } = useConsole();
  const push = useCallback((kind: WallPushKind, id: string) => bridge.call("pushToWall", { kind, id }), [bridge]);
  const takeBack = useCallback((pushId: string) => bridge.call("clearWall", { pushId }), [bridge]);
  return { push, takeBack };
}
