import { describe, expect, it } from "vitest";
import { chooseDisplays, type DisplayInfo } from "./displays.js";

const display = (id: number, x: number, width: number, height: number, primary = false): DisplayInfo => ({ id, bounds: { x, y: 0, width, height }, primary });
const desk = display(1, 0, 1920, 1080, true);
const wall = display(2, 1920, 3840, 2160);
const side = display(3, 5760, 1920, 1080);

describe("chooseDisplays", () => {
  it("puts the wall on the largest non-primary display and the operator on the primary", () => {
    const placement = chooseDisplays([side, desk, wall], "auto", "auto");
    expect(placement.wall.id).toBe(2);
    expect(placement.operator?.id).toBe(1);
    expect(placement.notes).toEqual([]);
  });

  it("uses the only display for the wall and opens no operator window", () => {
    const placement = chooseDisplays([desk], "auto", "auto");
    expect(placement.wall.id).toBe(1);
    expect(placement.operator).toBeNull();
    expect(placement.notes[0]).toMatch(/one display only/);
  });

  it("counts explicit indexes left to right, whatever order the system lists displays in", () => {
    const placement = chooseDisplays([side, wall, desk], 3, 2);
    expect(placement.wall.id).toBe(3);
    expect(placement.operator?.id).toBe(2);
  });

  it("falls back to automatic placement, with a note, when a configured display is unplugged", () => {
    const placement = chooseDisplays([desk, wall], 3, "auto");
    expect(placement.wall.id).toBe(2);
    expect(placement.notes[0]).toMatch(/wall display 3 is not connected/);
  });

  it("never puts both windows on one display, and honours operator none", () => {
    expect(chooseDisplays([desk, wall], "primary", "primary").operator?.id).toBe(2);
    expect(chooseDisplays([desk, wall], "auto", "none").operator).toBeNull();
  });
});
