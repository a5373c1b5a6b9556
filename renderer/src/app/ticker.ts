import { createContext, useContext, useSyncExternalStore } from "react";

/**
 * One shared 1 s clock for every countdown on the wall: a single interval,
 * started by the first subscriber and stopped by the last, instead of a timer
 * per row.
 */
export class SecondTicker {
  private now = Date.now();
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly clock: () => number = Date.now) {
    this.now = clock();
  }

  getNow = (): number => this.now;

  /** The clock itself, read now (not the last tick's time): for a value taken once, such as a form's default deadline. */
  read = (): number => this.clock();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.timer === null) {
      this.now = this.clock();
      this.timer = setInterval(() => this.tick(), 1000);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  };

  tick(): void {
    this.now = this.clock();
    for (const listener of this.listeners) listener();
  }
}

/** The engine's case clock: this machine's, plus how far the engine says the platform's runs ahead of it (`status.caseClockAheadMs`). */
export function caseClock(aheadMs: () => number | undefined): () => number {
  return () => Date.now() + (aheadMs() ?? 0);
}

export const TickerContext = createContext<SecondTicker | null>(null);

/** The current time, re-rendering the caller once a second. */
export function useNow(): number {
  const ticker = useContext(TickerContext);
  if (!ticker) throw new Error("useNow outside <TickerContext.Provider>");
  return useSyncExternalStore(ticker.subscribe, ticker.getNow);
}

/** The clock countdowns run on (the engine's case clock), to read once rather than to re-render by. */
export function useClock(): () => number {
  const ticker = useContext(TickerContext);
  if (!ticker) throw new Error("useClock outside <TickerContext.Provider>");
  return ticker.read;
}
