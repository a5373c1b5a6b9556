import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./theme/theme.css";
import { App } from "./app/App.js";
import { ErrorScreen } from "./app/ErrorScreen.js";
import { LANGUAGE_STORAGE_KEY, describeError, initialLanguage, isBriefingView } from "./app/boot.js";
import { getBridge } from "./bridge/index.js";
import { ConsoleContext, type ConsoleContextValue } from "./state/context.js";
import { DataStore } from "./state/store.js";
import { UiStore } from "./state/ui.js";

async function connect(): Promise<ConsoleContextValue> {
  const bridge = await getBridge();
  const data = new DataStore(bridge);
  await data.start();
  const settings = data.getState().settings;
  const ui = new UiStore({
    language: initialLanguage(readStoredLanguage(), settings?.language),
    briefing: isBriefingView(window.location.search),
  });
  return { bridge, data, ui };
}

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Storage can be disabled by policy on a locked-down wall PC: fall back to the configured language.
    return null;
  }
}

const element = document.getElementById("root");
if (element) {
  const root = createRoot(element);
  connect().then(
    (value) =>
      root.render(
        <StrictMode>
          <ConsoleContext.Provider value={value}>
            <App />
          </ConsoleContext.Provider>
        </StrictMode>,
      ),
    (error: unknown) => root.render(<ErrorScreen detail={describeError(error)} />),
  );
}
