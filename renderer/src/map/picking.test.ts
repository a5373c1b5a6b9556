import { describe, expect, it } from "vitest";
import { syntheticRegion } from "./dev/synthetic.js";
import { prepareRegion } from "./layers/region.js";
import { mapMessages } from "./messages.js";
import { describePick, pickAction, type PickContext } from "./picking.js";

const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 1] }));
const context: PickContext = { picking: false, region, area: null, detail: "markers", unitBySlot: ["u0", "u1"] };
const at = (layer: string, index: number, object?: unknown) => ({ picked: true, index, object, layer: { id: layer }, coordinate: [116.4, 39.9] });

describe("map clicks", () => {
  it("writes the clicked place and ends location picking, whatever lies under the pointer", () => {
    expect(pickAction(at("unit-bodies", 1), { ...context, picking: true })).toEqual({ pickedLocation: { lon: 116.4, lat: 39.9 }, pickingLocation: false });
  });

  it("opens the staff member under a unit's body, arrow or SOS ring", () => {
    expect(pickAction(at("unit-bodies", 1), context)).toEqual({ selectedUnitId: "u1" });
    expect(pickAction(at("unit-sos-pulse", 0, { slot: 0, position: [0, 0], label: "" }), context)).toEqual({ selectedUnitId: "u0" });
  });

  it("opens a case from its marker and zooms into an area from its case count", () => {
    expect(pickAction(at("incident-markers", 0, { id: "C1" }), context)).toEqual({ selectedIncidentId: "C1" });
    expect(pickAction(at("incident-clusters", 0, { code: "S1" }), { ...context, detail: "street" })).toEqual({ area: { level: "street", code: "S1" } });
  });

  it("drills into the street of a clicked grid from the district view", () => {
    expect(pickAction(at("grid-fill", 0), context)).toEqual({ area: { level: "street", code: region.streets.areas[0]!.code } });
  });

  it("ignores a click on nothing", () => {
    expect(pickAction({ picked: false, index: -1, object: undefined, layer: null, coordinate: [116.4, 39.9] }, context)).toBeNull();
  });
});

describe("map hover text", () => {
  it("names a grid and its value for the shown metric", () => {
    const text = describePick(at("grid-fill", 1), {
      region, values: [0, 7], metric: "open", incidents: new Map(), units: new Map(), unitBySlot: [], language: "zh-CN", text: mapMessages["zh-CN"],
    });
    expect(text).toBe(`${region.grids.areas[1]!.name}\n在办案件: 7`);
  });
});
