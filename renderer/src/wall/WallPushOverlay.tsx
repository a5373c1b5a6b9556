import { useMemo } from "react";
import type { WallPush } from "../../../shared/bridge/contract.js";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import { useNow } from "../app/ticker.js";
import { useRegionIndex } from "../panels/hooks.js";
import { useDataSelector, useUiSelector } from "../state/context.js";
import { useWallPush } from "./useWall.js";
import { WallPushed } from "./WallPushed.js";
import "./wall.css";

/**
 * 推送上墙 on a wall that is not the briefing (the patrol screen, the console
 * in the Electron wall window): the pushed item as a card over the map, the
 * header and the attention list left in view, gone when taken back or run
 * out. Drawn by WallPushed from this page's picture, masked as on the
 * briefing (no case free text, no reporter, staff names 张*).
 */
export function WallPushOverlay() {
  const pushed = useWallPush(useNow());
  return pushed ? <PushedCard push={pushed} /> : null;
}

function PushedCard({ push }: { push: WallPush }) {
  const now = useNow();
  const language = useUiSelector((s) => s.language);
  const settings = useDataSelector((s) => s.settings);
  const incidents = useDataSelector((s) => s.incidents);
  const units = useDataSelector((s) => s.units);
  const region = useRegionIndex();
  const categories = useMemo(() => indexCategories(settings?.categories ?? []), [settings]);
  return (
    <div className="wall-pushed-overlay">
      <WallPushed push={push} picture={{ incidents, units, names: region.names, categories }} language={language} now={now} ends="overlay" />
    </div>
  );
}
