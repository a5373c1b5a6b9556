import { memo, useEffect, useMemo, useState, type ComponentType } from "react";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import { formatClock, formatDate } from "../../../shared/domain/time.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { ExportButton } from "../export/ExportButton.js";
import { useCoverage, useRegionIndex, useSituation } from "../panels/hooks.js";
import { panelMessages } from "../panels/messages.js";
import { useDataSelector, useUiSelector } from "../state/context.js";
import { applyClicker, clickerAction, INITIAL_BRIEFING, rotationDelayMs, rotationMs, SCENES, type BriefingState, type SceneId } from "./control.js";
import { briefingMessages } from "./messages.js";
import { useWallPush } from "../wall/useWall.js";
import { useWallPicture, WallPushed } from "../wall/WallPushed.js";
import { wallMessages } from "../wall/messages.js";
import { CoverageScene } from "./scenes/CoverageScene.js";
import { LedgerScene, RankingScene } from "./scenes/DepartmentScenes.js";
import { HotSpotsScene } from "./scenes/HotSpotsScene.js";
import { NotableScene } from "./scenes/NotableScene.js";
import { OverviewScene } from "./scenes/OverviewScene.js";
import { PatrolScene } from "./scenes/PatrolScene.js";
import type { SceneProps } from "./scenes/types.js";
import "../panels/panels.css";
import "./briefing.css";

const SCENE_VIEWS: Record<SceneId, ComponentType<SceneProps>> = {
  overview: OverviewScene,
  hotSpots: HotSpotsScene,
  ledger: LedgerScene,
  ranking: RankingScene,
  coverage: CoverageScene,
  patrols: PatrolScene,
  notable: NotableScene,
};

/**
 * The scene shown, drawn again only when what it reads changes: the page re-renders each second for its clock and on
 * each case's change, and a chart scene re-drawn for nothing cost ~7 ms a delta at city scale (bench --only delta).
 */
const SceneView = memo(function SceneView({ scene, ...props }: SceneProps & { scene: SceneId }) {
  const View = SCENE_VIEWS[scene];
  return <View {...props} />;
});

/**
 * Briefing mode: a read-only, rotating sequence of scenes for leaders and
 * visitors, stepped with a presentation clicker. Nothing here can act on a
 * case, reveal a reporter or sound an alert; scenes get computed figures and
 * names, never the reporter or a unit's phone.
 */
export function Briefing() {
  const m = useMessages(briefingMessages);
  const panel = useMessages(panelMessages);
  const language = useUiSelector((s) => s.language);
  const settings = useDataSelector((s) => s.settings);
  const picture = useWallPicture();
  const wallText = useMessages(wallMessages);
  const dataAsOf = useDataSelector((s) => s.status.dataAsOf);
  const region = useRegionIndex();
  const situation = useSituation();
  const coverage = useCoverage();
  const now = useNow();
  const categories = useMemo(() => indexCategories(settings?.categories ?? []), [settings]);
  const [state, setState] = useState<BriefingState>(INITIAL_BRIEFING);
  const interval = rotationMs(settings?.briefing.intervalSeconds);
  // 推送上墙: an operator's push takes the body until taken back or run out; the rotation holds meanwhile.
  const pushed = useWallPush(now);
  const holding = pushed !== null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = clickerAction(event);
      if (!action) return;
      event.preventDefault();
      setState((s) => applyClicker(s, action, SCENES.length));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // The timer restarts on every step, so a scene the presenter just chose gets its full time; a blank screen holds.
  const delay = rotationDelayMs(state, interval);
  useEffect(() => {
    if (delay === null || holding) return;
    const timer = setTimeout(() => setState((s) => applyClicker(s, "rotate", SCENES.length)), delay);
    return () => clearTimeout(timer);
  }, [state, delay, holding]);

  const scene = SCENES[state.index] ?? "overview";
  return (
    <div className="briefing" data-testid="briefing" data-scene={scene} data-scene-index={state.index} data-blank={state.blank} data-as-of={dataAsOf ?? ""} lang={language}>
      <header className="briefing-header">
        <div className="briefing-center-name">
          <span>{settings?.subCenterName ?? ""}</span>
          <small>{m.mode}</small>
        </div>
        <h1 className="briefing-title" data-testid="briefing-scene-title">
          {pushed ? wallText.banner : m[scene]}
        </h1>
        <div className="briefing-clock">
          <span className="briefing-time">{formatClock(now)}</span>
          <small>
            {formatDate(now)}
            {dataAsOf ? ` · ${fill(m.dataAsOf, { time: formatClock(Date.parse(dataAsOf)) })}` : ""}
          </small>
        </div>
      </header>
      <main className="briefing-body">
        {pushed ? (
          <WallPushed push={pushed} picture={picture} language={language} now={now} />
        ) : situation ? (
          <SceneView
            scene={scene}
            situation={situation}
            region={region}
            coverage={coverage}
            categories={categories}
            m={m}
            panel={panel}
            language={language}
          />
        ) : (
          <p className="briefing-empty">{m.noData}</p>
        )}
      </main>
      <footer className="briefing-footer">
        <ol className="briefing-dots" aria-label={fill(m.page, { index: state.index + 1, count: SCENES.length })}>
          {SCENES.map((id, index) => (
            <li key={id} className={index === state.index ? "briefing-dot briefing-dot-current" : "briefing-dot"} aria-current={index === state.index ? "step" : undefined}>
              <span className="briefing-dot-shape" aria-hidden="true" />
              <span className="briefing-dot-label">{m[id]}</span>
            </li>
          ))}
        </ol>
        <ExportButton className="briefing-export" />
        <span className="briefing-page">{fill(m.page, { index: state.index + 1, count: SCENES.length })}</span>
      </footer>
      {state.blank ? (
        <div className="briefing-blank" data-testid="briefing-blank" role="status" aria-label={m.blanked} />
      ) : null}
    </div>
  );
}
