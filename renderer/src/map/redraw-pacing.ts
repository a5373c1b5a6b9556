/*
 * Adaptive pacing of the map's own redraws (staff positions, the pulse).
 *
 * On a wall with a GPU a deck.gl frame costs a few ms and each source keeps
 * its own interval (positions twice a second, the pulse at 4 Hz). Under
 * software WebGL one frame of the district costs hundreds of ms to seconds of
 * main-thread time; redrawing on those intervals keeps the main thread drawing
 * all the time, and the queue and the alerts wait behind the map. So the next
 * paced redraw comes no sooner than `factor` times the last frame's cost after
 * that frame ended (traccar-style): the map slows down, the rest stays prompt.
 * Redraws the operator asks for (panning, a new case, a selection) are not paced.
 */

export type PacingPolicy = {
  /** Idle main-thread time left after a frame, as a multiple of its cost. */
  factor: number;
  /** The longest a paced source is held back after a frame, however slow. */
  maxMs: number;
};

/** At 2× the map takes at most a third of the main thread; it never waits more than 6 s. */
export const PACING: PacingPolicy = { factor: 2, maxMs: 6000 };

/** A frame the map drew: when it ended and what it cost (from the redraw's request to its end), in ms. */
export type FrameCost = { endedAt: number; costMs: number };

/**
 * The earliest time a paced source may next redraw the map: its own minimum
 * interval after its last redraw, and `factor × cost` after the last frame.
 */
export function nextRedrawAt(sourceLastAt: number, sourceMinMs: number, lastFrame: FrameCost | null, policy: PacingPolicy = PACING): number {
  const own = sourceLastAt + sourceMinMs;
  if (!lastFrame) return own;
  return Math.max(own, lastFrame.endedAt + Math.min(policy.maxMs, policy.factor * Math.max(0, lastFrame.costMs)));
}

/**
 * Measures the map's frames for `nextRedrawAt`: a paced source calls
 * `requested` when it hands deck.gl new data, deck.gl's `onAfterRender` calls
 * `drawn`. The cost is the time from the first request to the frame's end:
 * React's render of the map, deck.gl's layer update and the draw.
 */
export class RedrawPacer {
  lastFrame: FrameCost | null = null;
  private pendingSince: number | null = null;

  constructor(readonly policy: PacingPolicy = PACING) {}

  requested(now: number): void {
    if (this.pendingSince === null) this.pendingSince = now;
  }

  drawn(now: number): void {
    if (this.pendingSince === null) return;
    this.lastFrame = { endedAt: now, costMs: now - this.pendingSince };
    this.pendingSince = null;
  }

  /**
   * Milliseconds from `now` until a source last redrawn at `sourceLastAt` may
   * redraw again. A frame asked for and not drawn yet counts as one that ends
   * now and has cost the time since it was asked for.
   */
  delay(now: number, sourceLastAt: number, sourceMinMs: number): number {
    const frame = this.pendingSince === null ? this.lastFrame : { endedAt: now, costMs: now - this.pendingSince };
    return Math.max(0, nextRedrawAt(sourceLastAt, sourceMinMs, frame, this.policy) - now);
  }
}
