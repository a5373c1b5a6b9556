import type { WallPush } from "../../../shared/bridge/contract.js";
import { useNow } from "../app/ticker.js";
import { useUiSelector } from "../state/context.js";
import { useWallPush } from "./useWall.js";
import { useWallPicture, WallPushed } from "./WallPushed.js";
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
  const picture = useWallPicture();
  return (
    <div className="wall-pushed-overlay">
      <WallPushed push={push} picture={picture} language={language} now={now} ends="overlay" />
    </div>
  );
}
