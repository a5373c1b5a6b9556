import { useState } from "react";
import { fill, useMessages } from "../i18n/index.js";
import { useDataSelector } from "../state/context.js";
import { statusMessages } from "./messages.js";

/** Tells the duty staff the cache was rebuilt, so a gap in history is not a mystery. */
export function CacheNotice() {
  const t = useMessages(statusMessages);
  const recovered = useDataSelector((s) => s.status.cacheRecovered);
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!recovered || dismissed === recovered.movedTo) return null;
  return (
    <div className="notice notice--warning" role="status" data-testid="cache-recovered">
      <span aria-hidden="true">⚠</span>
      <span>{fill(t.cacheRecovered, { path: recovered.movedTo, reason: recovered.reason })}</span>
      <button type="button" className="button button--ghost" onClick={() => setDismissed(recovered.movedTo)}>
        {t.dismiss}
      </button>
    </div>
  );
}
