/*
 * Simulated time: starts at `startAt` and runs `speed` times faster than the
 * real clock, can be paused, and can jump ahead (warm-up, trainer scripts).
 * Everything the feed stamps (createdAt, delta `at`, hello serverTime) is sim
 * time, so a console reading the server's clock sees a consistent picture.
 */
export class SimClock {
  private base: number;
  private realBase: number;
  private pausedAt: number | null = null;

  constructor(
    startAt: number,
    private speedFactor: number,
    private readonly real: () => number = Date.now,
  ) {
    if (!(speedFactor > 0) || !Number.isFinite(speedFactor)) throw new RangeError(`speed must be a positive number, got ${speedFactor}`);
    this.base = startAt;
    this.realBase = real();
  }

  now(): number {
    if (this.pausedAt !== null) return this.pausedAt;
    return Math.floor(this.base + (this.real() - this.realBase) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  pause(): void {
    if (this.pausedAt === null) this.pausedAt = this.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.base = this.pausedAt;
    this.realBase = this.real();
    this.pausedAt = null;
  }

  /** Moves simulated time forward by `ms` at once. */
  skip(ms: number): void {
    if (this.pausedAt !== null) this.pausedAt += ms;
    else this.base += ms;
  }

  /** Real milliseconds until simulated time reaches `at` (0 when already past). */
  realDelayUntil(at: number): number {
    return Math.max(0, (at - this.now()) / this.speedFactor);
  }
}
