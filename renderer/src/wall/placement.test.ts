import { describe, expect, it } from "vitest";
import { wallPushPlace } from "./placement.js";

describe("where a page draws a push to the wall", () => {
  it("the briefing shows it in place of its scene, on the web host and in the Electron wall window", () => {
    expect(wallPushPlace("?view=briefing")).toBe("scene");
    expect(wallPushPlace("?view=briefing&screen=wall")).toBe("scene");
  });

  it("the patrol screen shows it as an overlay, on the web host and in the Electron wall window", () => {
    expect(wallPushPlace("?view=patrols")).toBe("overlay");
    expect(wallPushPlace("?view=patrols&screen=wall")).toBe("overlay");
  });

  it("a console shows it as an overlay only when it is the Electron wall window", () => {
    expect(wallPushPlace("?screen=wall")).toBe("overlay");
    expect(wallPushPlace("?key=abc&screen=wall")).toBe("overlay");
  });

  it("an operator's console is never taken over: the web host's console page and the Electron operator window", () => {
    expect(wallPushPlace("")).toBe("none");
    expect(wallPushPlace("?key=abc")).toBe("none");
    expect(wallPushPlace("?screen=desk")).toBe("none");
  });

  it("the printed pages never show it", () => {
    expect(wallPushPlace("?view=briefing&export=pdf&lang=zh-CN")).toBe("none");
    expect(wallPushPlace("?view=handover&export=pdf&id=h1")).toBe("none");
    expect(wallPushPlace("?view=handover")).toBe("none");
  });
});
