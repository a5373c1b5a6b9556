import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./theme/theme.css";
import { App } from "./app/App.js";
import { ConnectingScreen, ErrorScreen } from "./app/ErrorScreen.js";
import { LANGUAGE_STORAGE_KEY, initialLanguage, isBriefingView, isPatrolsView } from "./app/boot.js";
import { bootConsole } from "./app/boot-loop.js";
import type { Bridge } from "./bridge/index.js";
import { getBridge } from "./bridge/index.js";
import { ConsoleContext, type ConsoleContextValue } from "./state/context.js";
import { isExportView } from "./export/ExportPage.js";
import { askFirstQueueWindow } from "./queue/useQueue.js";
import { regionLayerOf } from "./state/region.js";
import { DataStore } from "./state/store.js";
import { UiStore } from "./state/ui.js";

async function connect(bridge: Bridge): Promise<ConsoleContextValue> {
  // Asked first: the engine sends the prepared region layer while the page still waits for the cases.
  void regionLayerOf(bridge);
  // A boot that failed is tried again with a new store (./app/boot-loop.ts): the failed one has stopped listening.
  const opening = DataStore.open(bridge);
  // The store listens from its first step (before it asks for the initial state): the queue's first rows are asked for now, beside it.
  if (showsQueue(window.location.search)) askFirstQueueWindow(bridge);
  const data = await opening;
  const settings = data.getState().settings;
  const ui = new UiStore({
    language: initialLanguage(readStoredLanguage(), settings?.language),
    briefing: isBriefingView(window.location.search),
    patrols: isPatrolsView(window.location.search),
  });
  return { bridge, data, ui };
}

/** Only the operator wall shows the queue (the briefing, the patrol screen and the print pages do not). */
const showsQueue = (search: string): boolean => !isBriefingView(search) && !isPatrolsView(search) && !isExportView(search);

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Storage can be disabled by policy on a locked-down wall PC: fall back to the configured language.
    return null;
  }
}

/** How long the wall shows "connecting" before it says plainly that the engine does not answer (it keeps trying). */
const CONNECT_PATIENCE_MS = 15_000;

const element = document.getElementById("root");
if (element) {
  const root = createRoot(element);
  let phase = "connecting";
  root.render(<ConnectingScreen />);
  const impatience = setTimeout(() => {
    if (phase === "connecting") root.render(<ErrorScreen detail={`no answer from the console engine within ${CONNECT_PATIENCE_MS / 1000} s; still trying`} />);
  }, CONNECT_PATIENCE_MS);
  void bootConsole({
    getBridge,
    connect,
    show(next) {
      phase = next.kind;
      if (next.kind !== "connecting") clearTimeout(impatience);
      if (next.kind === "retrying") root.render(<ConnectingScreen restarting={{ inS: next.inS, attempt: next.attempt }} />);
      else if (next.kind === "failed") root.render(<ErrorScreen detail={next.detail} />);
      else if (next.kind === "ready")
        root.render(
          <StrictMode>
            <ConsoleContext.Provider value={next.value}>
              <App />
            </ConsoleContext.Provider>
          </StrictMode>,
        );
    },
  });
}
