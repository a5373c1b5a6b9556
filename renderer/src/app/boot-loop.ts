import type { Bridge } from "../../../shared/bridge/contract.js";
import { describeError } from "./boot.js";

/*
 * How a page comes up. A page opened while the engine restarts (its thread
 * died; electron/engine/worker/supervisor.ts) asks for the initial state and
 * gets `unavailable` once the host's call wait (15 s) runs out: that is not a
 * dead console, so the page shows that it is waiting and asks again after
 * 1 s, 2 s, 5 s, 10 s, then every 15 s. Any status the bridge pushes
 * meanwhile, or once on the error screen (the host's `resync` after the new
 * engine is up replays the status), makes it ask again at once. Any other
 * failure (no host, a refused call) shows the error screen, which also boots
 * again on a pushed status.
 */

export type BootPhase<T> =
  | { kind: "connecting" }
  /** The engine answered `unavailable` (restarting): asking again in `inS` seconds, attempt `attempt`. */
  | { kind: "retrying"; attempt: number; inS: number; detail: string }
  | { kind: "failed"; detail: string }
  | { kind: "ready"; value: T };

export type BootOptions<T> = {
  getBridge: () => Promise<Bridge>;
  /** One try at bringing the page up on the bridge; it cleans up after itself when it throws. */
  connect: (bridge: Bridge) => Promise<T>;
  show: (phase: BootPhase<T>) => void;
  delaysMs?: readonly number[];
};

export const BOOT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 15_000];

/** Whether a failed boot is the engine saying it is not there yet (DataStore.start throws "<code>: <message>"). */
export function isUnavailable(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("unavailable:");
}

/** Brings the page up, retrying while the engine restarts; resolves once it is up or has given the error screen (which still listens). */
export async function bootConsole<T>(options: BootOptions<T>): Promise<void> {
  const delays = options.delaysMs ?? BOOT_RETRY_DELAYS_MS;
  let bridge: Bridge;
  try {
    bridge = await options.getBridge();
  } catch (error) {
    options.show({ kind: "failed", detail: describeError(error) });
    return;
  }
  let booting = false;
  let done = false;
  let retries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled: () => void = () => undefined;
  const firstOutcome = new Promise<void>((resolve) => (settled = resolve));

  const attempt = async (): Promise<void> => {
    if (booting || done) return;
    booting = true;
    clearTimeout(timer);
    try {
      const value = await options.connect(bridge);
      done = true;
      offStatus();
      options.show({ kind: "ready", value });
    } catch (error) {
      if (isUnavailable(error)) {
        retries++;
        const ms = delays[Math.min(retries, delays.length) - 1] ?? 1_000;
        options.show({ kind: "retrying", attempt: retries, inS: Math.ceil(ms / 1000), detail: describeError(error) });
        timer = setTimeout(() => void attempt(), ms);
      } else {
        options.show({ kind: "failed", detail: describeError(error) });
      }
    } finally {
      booting = false;
      settled();
    }
  };
  // A pushed status means the engine speaks again (the host's resync replays it once the new engine is up).
  const offStatus = bridge.on("status", () => void attempt());
  void attempt();
  await firstOutcome;
}
