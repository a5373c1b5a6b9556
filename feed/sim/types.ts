import type { Incident } from "../../shared/protocol/types.js";

export type Source = Incident["source"];
