import { useEffect, useMemo, useRef, useState } from "react";
import { actionMessages } from "../actions/messages.js";
import { OutboxProblems, isProblem } from "../actions/OutboxProblems.js";
import { ReportForm } from "../actions/ReportForm.js";
import { AlertTicker } from "../alerts/AlertTicker.js";
import { Briefing } from "../briefing/Briefing.js";
import { DetailPanel } from "../detail/DetailPanel.js";
import { ExportPage, isExportView } from "../export/ExportPage.js";
import { HandoverDesk } from "../handover/HandoverDesk.js";
import { MapView } from "../map/MapView.js";
import { AssessmentSheet, PatrolPanel, WallSideTabs, type WallSide } from "../patrol/PatrolPanel.js";
import { AssessmentView } from "../patrol/AssessmentView.js";
import { patrolMessages } from "../patrol/messages.js";
import { PatrolScreen } from "../patrol/PatrolScreen.js";
import { KpiPanel } from "../panels/KpiPanel.js";
import { QueuePanel } from "../queue/QueuePanel.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { CacheNotice } from "../status/CacheNotice.js";
import { DemoBanner } from "../status/DemoBanner.js";
import { Header } from "../status/Header.js";
import { wallPushPlace } from "../wall/placement.js";
import { WallPushOverlay } from "../wall/WallPushOverlay.js";
import { ShortcutBus, ShortcutContext, useShortcuts } from "./shortcuts.js";
import { caseClock, SecondTicker, TickerContext } from "./ticker.js";
import { useWallLayout } from "./useWallLayout.js";
import { shapeClass } from "./wall-layout.js";

export function App() {
  const { data } = useConsole();
  // Countdowns run on the clock the engine judges cases on (the platform's where it is ahead), as the queue and KPIs do.
  const ticker = useMemo(() => new SecondTicker(caseClock(() => data.getState().status.caseClockAheadMs)), [data]);
  const shortcuts = useMemo(() => new ShortcutBus(), []);
  const briefing = useUiSelector((s) => s.briefing);
  const patrols = useUiSelector((s) => s.patrols);
  const language = useUiSelector((s) => s.language);
  // 推送上墙 over the patrol screen and the Electron wall window's console; never over an operator's console.
  const pushOverlay = useMemo(() => wallPushPlace(window.location.search) === "overlay", []);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    if (briefing) return;
    const onKey = (event: KeyboardEvent) => shortcuts.handle(event);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [shortcuts, briefing]);

  return (
    <TickerContext.Provider value={ticker}>
      <ShortcutContext.Provider value={shortcuts}>
        {isExportView(window.location.search) ? <ExportPage /> : briefing ? <Briefing /> : patrols ? <PatrolScreen pushOverlay={pushOverlay} /> : <OperatorWall pushOverlay={pushOverlay} />}
        <DemoBanner />
      </ShortcutContext.Provider>
    </TickerContext.Provider>
  );
}

/**
 * The operator's wall: header, KPIs left, map center, queue right, alerts
 * along the bottom; wider walls (wall-layout.ts) turn the alerts into a
 * column beside the queue and add the patrol checks and the assessment as
 * columns of their own. As the Electron wall window (`pushOverlay`) a push
 * to the wall is drawn over its map.
 */
function OperatorWall({ pushOverlay }: { pushOverlay: boolean }) {
  const t = useMessages(actionMessages);
  const patrolText = useMessages(patrolMessages);
  const layout = useWallLayout();
  // 32:9 and wider: the patrol checks have a column, so the queue column needs no tabs.
  const patrolColumn = layout.shape === "32:9" || layout.shape === "48:9";
  // 48:9 shows the assessment as a column: its button there points at it rather than opening a sheet over the map.
  const assessmentColumn = useRef<HTMLElement>(null);
  const openAssessment = () => (layout.shape === "48:9" ? assessmentColumn.current?.focus() : setAssessing(true));
  const [reporting, setReporting] = useState(false);
  const [side, setSide] = useState<WallSide>("queue");
  const [assessing, setAssessing] = useState(false);
  const selectedId = useUiSelector((s) => s.selectedIncidentId);
  const outbox = useDataSelector((s) => s.outbox);
  // Failures of the open case are shown in its detail; the rest (reports, other cases) float here.
  const strayProblems = outbox.filter((e) => isProblem(e) && (e.incidentId === undefined || e.incidentId !== selectedId));

  useShortcuts((shortcut) => {
    if (shortcut.kind === "report") {
      setReporting(true);
      return true;
    }
    if (shortcut.kind === "escape" && reporting) {
      setReporting(false);
      return true;
    }
    return false;
  });

  return (
    <div className={`wall wall--${shapeClass(layout.shape)}${layout.shape === "16:9" ? "" : " wall--wide"}`} data-testid="operator-wall" data-wall-layout={layout.shape} data-min-text-px={layout.minTextPx}>
      <Header />
      <aside className="wall__left">
        <KpiPanel />
      </aside>
      <main className="wall__center">
        <MapView />
        <CacheNotice />
        {reporting ? <ReportForm onClose={() => setReporting(false)} /> : <DetailPanel />}
        <div className="wall__problems">
          <OutboxProblems entries={strayProblems} />
        </div>
        {pushOverlay && <WallPushOverlay />}
      </main>
      {patrolColumn && (
        <aside className="wall__patrol">
          <PatrolPanel onAssessment={openAssessment} />
        </aside>
      )}
      {layout.shape === "48:9" && (
        <section ref={assessmentColumn} tabIndex={-1} className="panel wall__assessment" aria-label={patrolText.assessment}>
          <header className="panel__header">
            <h2>{patrolText.assessment}</h2>
          </header>
          <AssessmentView />
        </section>
      )}
      <aside className="wall__right">
        {!patrolColumn && <WallSideTabs side={side} onSide={setSide} />}
        {/* The queue stays mounted behind the patrol tab, so its filters and scroll survive a look at the patrol checks. */}
        <div className="wall-side" hidden={!patrolColumn && side !== "queue"}>
          <QueuePanel />
        </div>
        {!patrolColumn && side === "patrol" && <PatrolPanel onAssessment={openAssessment} />}
        <button type="button" className="button button--primary wall__report" data-testid="report-button" onClick={() => setReporting(true)}>
          ＋ {t.newReport} <kbd>F2</kbd>
        </button>
        <HandoverDesk />
      </aside>
      <AlertTicker />
      {assessing && layout.shape !== "48:9" && <AssessmentSheet onClose={() => setAssessing(false)} />}
    </div>
  );
}
