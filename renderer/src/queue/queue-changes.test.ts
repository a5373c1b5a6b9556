import { describe, expect, it } from "vitest";
import { initialDataState, queueMovedSince, updaters } from "../state/data.js";

describe("the page's count of queueChanged pushes", () => {
  it("says a view moved only when a push named it after the page asked, or a resync named every view", () => {
    let state = initialDataState();
    const askedAt = state.queueChanges.count;
    state = updaters.queueChanged(state, { version: 7, views: ["q2"] });
    expect(queueMovedSince(state.queueChanges, "q1", askedAt)).toBe(false);
    expect(queueMovedSince(state.queueChanges, "q2", askedAt)).toBe(true);
    // Asked again after that push: not moved since.
    const again = state.queueChanges.count;
    expect(queueMovedSince(state.queueChanges, "q2", again)).toBe(false);
    // Two pushes before the page re-renders: neither is lost.
    state = updaters.queueChanged(state, { version: 8, views: ["q1"] });
    state = updaters.queueChanged(state, { version: 9, views: ["q3"] });
    expect(queueMovedSince(state.queueChanges, "q1", again)).toBe(true);
    // After a reconnect the resync names every view, whatever the engine's versions.
    const late = state.queueChanges.count;
    state = updaters.queueChanged(state, { version: 0, views: [], all: true });
    expect(queueMovedSince(state.queueChanges, "q9", late)).toBe(true);
    expect(queueMovedSince(state.queueChanges, null, late)).toBe(true);
  });

  it("keeps only the newest views", () => {
    let state = initialDataState();
    for (let i = 0; i < 100; i++) state = updaters.queueChanged(state, { version: i, views: [`q${i}`] });
    expect(state.queueChanges.views.size).toBeLessThanOrEqual(32);
    expect(state.queueChanges.views.has("q99")).toBe(true);
    expect(state.queueChanges.views.has("q0")).toBe(false);
  });
});
