import type { Engine, EngineOptions } from "./api.js";
import { ConsoleEngine } from "./engine.js";
import type { EngineTiming } from "./engine.js";

export type { Engine, EngineOptions } from "./api.js";
export type { EngineTiming } from "./engine.js";
export { DEFAULT_ENGINE_TIMING } from "./engine.js";

/** The engine the shells run: feed sync, the SQLite cache and journal, the outbox, and the bridge handlers. */
export function createEngine(options: EngineOptions & { timing?: Partial<EngineTiming> }): Engine {
  return new ConsoleEngine(options);
}
