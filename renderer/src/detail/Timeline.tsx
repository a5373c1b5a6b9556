import { useEffect, useState } from "react";
import type { HistoryEntry } from "../../../shared/protocol/types.js";
import { formatClock, formatShort, toEpochMs } from "../../../shared/domain/time.js";
import { ACTION_NAMES, STATUS_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import type { Language } from "../state/ui.js";
import { detailMessages } from "./messages.js";

type Loaded = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; history: HistoryEntry[] };

/** Department moves that appear in a case's history but are not operator commands. */
const DEPARTMENT_STEPS: Record<Language, Record<string, string>> = {
  "zh-CN": { process: "签收处置", respond: "处置反馈", report: "上报" },
  en: { process: "Taken on", respond: "Responded", report: "Reported" },
};

function actionName(action: string, language: Language): string {
  const step = DEPARTMENT_STEPS[language][action];
  if (step !== undefined) return step;
  if (action in ACTION_NAMES[language]) return ACTION_NAMES[language][action as keyof (typeof ACTION_NAMES)["en"]];
  if (action in STATUS_NAMES[language]) return STATUS_NAMES[language][action as keyof (typeof STATUS_NAMES)["en"]];
  return action;
}

/** The case's history (getIncident), newest first; fetched again whenever the case's version moves. */
export function Timeline({ incidentId, version }: { incidentId: string; version: number }) {
  const { bridge } = useConsole();
  const t = useMessages(detailMessages);
  const language = useUiSelector((s) => s.language);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });

  useEffect(() => {
    let alive = true;
    bridge.call("getIncident", { id: incidentId }).then(
      (result) => {
        if (!alive) return;
        setLoaded(result.ok ? { state: "ready", history: result.value.history } : { state: "failed", message: result.error.message });
      },
      (error: unknown) => alive && setLoaded({ state: "failed", message: String(error) }),
    );
    return () => {
      alive = false;
    };
  }, [bridge, incidentId, version]);

  return (
    <section className="detail__section">
      <h3>{t.history}</h3>
      {loaded.state === "loading" && <p>{t.historyLoading}</p>}
      {loaded.state === "failed" && <p className="text-danger">{fill(t.historyFailed, { message: loaded.message })}</p>}
      {loaded.state === "ready" && (
        <ol className="timeline" data-testid="incident-history">
          {[...loaded.history].reverse().map((entry, index) => {
            const at = toEpochMs(entry.at);
            return (
              <li key={`${entry.at}:${index}`} className="timeline__entry" data-history-action={entry.action}>
                <time className="timeline__time" dateTime={entry.at}>
                  {formatShort(at)}:{formatClock(at).slice(6)}
                </time>
                <span className="timeline__action">{actionName(entry.action, language)}</span>
                <span className="timeline__actor">{entry.actor}</span>
                {entry.note && <p className="timeline__note">{entry.note}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
