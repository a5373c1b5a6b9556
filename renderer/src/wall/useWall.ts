import { useCallback, useEffect, useState } from "react";
import type { Result, WallPush, WallPushKind } from "../../../shared/bridge/contract.js";
import { useConsole } from "../state/context.js";

/** A missed event (a page that reconnected) is made good by asking again this often. */
const RECHECK_MS = 30_000;

/**
 * What is pushed to the wall now (推送上墙), from the engine's `wall` event and
 * a `getWall` when the page opens; a push past its `until` counts as gone
 * even before the engine's event says so, so a wall never holds one longer.
 */
export function useWallPush(now: number): WallPush | null {
  const { bridge } = useConsole();
  const [push, setPush] = useState<WallPush | null>(null);
  useEffect(() => {
    let cancelled = false;
    let heard = false;
    const ask = () => {
      bridge
        .call("getWall", {})
        .then((result) => {
          if (!cancelled && result.ok && !heard) setPush(result.value.push);
          heard = false;
        })
        .catch((error: unknown) => console.warn("wall: push state unavailable", error));
    };
    const off = bridge.on("wall", (state) => {
      heard = true;
      setPush(state.push);
    });
    ask();
    const timer = setInterval(ask, RECHECK_MS);
    return () => {
      cancelled = true;
      off();
      clearInterval(timer);
    };
  }, [bridge]);
  return push && Date.parse(push.until) > now ? push : null;
}

/** The operator's calls: put an item up, take a push back. */
export function useWallActions(): { push: (kind: WallPushKind, id: string) => Promise<Result<WallPush>>; takeBack: (pushId: string) => Promise<Result<{ cleared: boolean }>> } {
  const { bridge } = useConsole();
  const push = useCallback((kind: WallPushKind, id: string) => bridge.call("pushToWall", { kind, id }), [bridge]);
  const takeBack = useCallback((pushId: string) => bridge.call("clearWall", { pushId }), [bridge]);
  return { push, takeBack };
}
