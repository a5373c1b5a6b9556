import { useState } from "react";
import type { StorageProblem } from "../../../shared/bridge/contract.js";
import { fill, useMessages } from "../i18n/index.js";
import { useDataSelector } from "../state/context.js";
import { statusMessages } from "./messages.js";

/**
 * Notices about the local cache: that it was rebuilt (so a gap in history is
 * not a mystery), and, while it lasts, that the data directory refuses writes
 * (a full disk), with the directory to free space in.
 */
export function CacheNotice() {
  const t = useMessages(statusMessages);
  const recovered = useDataSelector((s) => s.status.cacheRecovered);
  const storage = useDataSelector((s) => s.status.storage);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const showRecovered = recovered !== undefined && dismissed !== recovered.movedTo;
  if (!storage && !showRecovered) return null;
  return (
    <div className="notices">
      {storage && <StorageNotice storage={storage} />}
      {showRecovered && (
        <div className="notice notice--warning" role="status" data-testid="cache-recovered">
          <span aria-hidden="true">⚠</span>
          <span>{fill(t.cacheRecovered, { path: recovered.movedTo, reason: recovered.reason })}</span>
          <button type="button" className="button button--ghost" onClick={() => setDismissed(recovered.movedTo)}>
            {t.dismiss}
          </button>
        </div>
      )}
    </div>
  );
}

/** Not dismissable: it goes away by itself once the disk takes writes again. */
function StorageNotice({ storage }: { storage: StorageProblem }) {
  const t = useMessages(statusMessages);
  return (
    <div className="notice notice--danger" role="alert" data-testid="storage-problem" data-problem={storage.problem}>
      <span aria-hidden="true">⚠</span>
      <span>
        <strong>{storage.problem === "disk_full" ? t.diskFull : t.writeFailed}</strong>
        {t.colon}
        {fill(t.storageDetail, { path: storage.dataDir })}
      </span>
    </div>
  );
}
