import { defineMessages, useMessages } from "../i18n/index.js";
import { useDataSelector } from "../state/context.js";
import "./demo-banner.css";

/*
 * While the data comes from the embedded reference feed (settings.demo), every
 * view says so: simulated cases on a real wall must never be taken for real
 * ones. It has no close button, sits above everything in its view (fixed, the
 * highest layer) and lets clicks through, so it cannot be hidden and hides no
 * control. Where it sits is per view (demo-banner.css): below the console's
 * header, clear of its connection status and clock; in the briefing's footer.
 */

const messages = defineMessages({
  "zh-CN": { label: "演示/培训数据", detail: "内置模拟数据源，非真实案件" },
  en: { label: "Demo / training data", detail: "the built-in simulated feed, not real cases" },
});

export function DemoBanner() {
  const demo = useDataSelector((s) => s.settings?.demo === true);
  const t = useMessages(messages);
  if (!demo) return null;
  return (
    <div className="demo-banner" data-testid="demo-banner" role="note" aria-label={`${t.label}: ${t.detail}`}>
      {t.label}
    </div>
  );
}
