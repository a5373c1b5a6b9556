import type { BridgeEventName, BridgeEvents, BridgeHandlers, ConsoleSettings } from "../../shared/bridge/contract.js";

/*
 * What the shells (Electron main, web host) need of the engine. The engine
 * imports no `electron`: it runs the same in Electron's main process, in the
 * web host and in tests.
 */

export type EngineOptions = {
  feedUrl: string;
  token: string;
  consoleId: string;
  /** Holds cache.sqlite, its journal, and recovered (moved-aside) files. */
  dataDir: string;
  settings: ConsoleSettings;
  /** The region layer as parsed GeoJSON; views get it validated and prepared (`getRegionLayer`). */
  regionLayer: unknown;
  /**
   * The file `regionLayer` was read from, where there is one: the region
   * worker reads it itself, so handing a city's layer to the worker costs the
   * engine's thread nothing (a structured clone of it took 0.4 s).
   */
  regionLayerFile?: string;
  /** Closed cases older than this are pruned from the cache. */
  retentionDays?: number;
  /** Briefing shells set this: personal data can never be revealed. */
  revealAllowed?: boolean;
  /**
   * The key that seals reporters and staff phones in the cache (64 hex
   * digits), when the shell keeps it itself: the Electron shell's, kept by
   * `safeStorage` (electron/main/reporter-key.ts). null: the shell holds one
   * it cannot open, so sealed data is unavailable and no other key is made.
   * Unset: `<dataDir>/reporter.key` (the web host, and a shell without a keychain).
   */
  reporterKey?: string | null;
  log?: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
};

export interface Engine {
  readonly handlers: BridgeHandlers;
  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void;
  /** Opens the cache (recovering a corrupt one), shows the cached picture, then connects to the feed. */
  start(): Promise<void>;
  /** Disconnects and flushes the cache to disk. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Where the engine can come back after a crash (./worker/supervisor.ts):
   * told once a new engine is up, so the shell makes its pages resynchronise.
   */
  onRestarted?(listener: () => void): () => void;
}
