import type { CoverageSummary } from "../../../../shared/bridge/contract.js";
import type { CategoryIndex } from "../../../../shared/domain/deadlines.js";
import type { PanelMessages } from "../../panels/messages.js";
import type { RegionIndex } from "../../panels/region-index.js";
import type { Situation } from "../../../../shared/domain/situation.js";
import type { Language } from "../../state/ui.js";
import type { BriefingMessages } from "../messages.js";

/** What every scene receives: computed figures, names and words; never the raw store. */
export type SceneProps = {
  situation: Situation;
  region: RegionIndex;
  coverage: CoverageSummary | null;
  categories: CategoryIndex;
  m: BriefingMessages;
  panel: PanelMessages;
  language: Language;
};
