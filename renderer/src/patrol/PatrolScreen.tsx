import { useState } from "react";
import { useMessages } from "../i18n/index.js";
import { MapView } from "../map/MapView.js";
import { Header } from "../status/Header.js";
import { WallPushOverlay } from "../wall/WallPushOverlay.js";
import { AssessmentView } from "./AssessmentView.js";
import { patrolMessages } from "./messages.js";
import { PatrolList } from "./PatrolList.js";
import "./patrol.css";

type Tab = "checks" | "assessment";

/**
 * `/?view=patrols`: verified patrol on a second screen. The check list beside
 * the map (a row draws that shift on it and opens the staff card there), and
 * the assessment across the whole width. On a wall (`pushOverlay`: always
 * so for this view) a push to the wall is drawn over the map, or over the
 * assessment while that has the screen.
 */
export function PatrolScreen({ pushOverlay }: { pushOverlay: boolean }) {
  const t = useMessages(patrolMessages);
  const [tab, setTab] = useState<Tab>("checks");
  return (
    <div className="patrol-screen" data-testid="patrol-screen" data-tab={tab}>
      <Header />
      <section className="panel patrol-screen__main" aria-label={tab === "checks" ? t.title : t.assessment}>
        <div className="wall-tabs patrol-screen__tabs" role="tablist">
          {(["checks", "assessment"] as const).map((option) => (
            <button
              key={option}
              type="button"
              role="tab"
              aria-selected={tab === option}
              className={`wall-tabs__tab${tab === option ? " wall-tabs__tab--on" : ""}`}
              data-testid={`patrol-screen-${option}`}
              onClick={() => setTab(option)}
            >
              {option === "checks" ? t.title : t.assessment}
            </button>
          ))}
        </div>
        {tab === "checks" ? <PatrolList /> : <AssessmentView />}
      </section>
      {tab === "checks" && (
        <main className="patrol-screen__map">
          <MapView />
        </main>
      )}
      {pushOverlay && <WallPushOverlay />}
    </div>
  );
}
