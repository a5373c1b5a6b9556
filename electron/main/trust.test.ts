import { describe, expect, it } from "vitest";
import { callChannel, eventChannel } from "../preload/channels.js";
import { isAllowedRequest, isAppUrl, windowUrl } from "./trust.js";

describe("trust rules of the Electron shell", () => {
  it("accepts only app://console pages as bridge senders", () => {
    expect(isAppUrl("app://console/index.html?view=briefing")).toBe(true);
    expect(isAppUrl("app://evil/index.html")).toBe(false);
    expect(isAppUrl("https://console/index.html")).toBe(false);
    expect(isAppUrl("file:///work/main/dist/renderer/index.html")).toBe(false);
    expect(isAppUrl("")).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl("not a url")).toBe(false);
  });

  it("lets windows load their own files and generated data, and no remote content", () => {
    expect(isAllowedRequest("app://console/assets/index.js")).toBe(true);
    expect(isAllowedRequest("data:image/png;base64,AAAA")).toBe(true);
    expect(isAllowedRequest("https://tiles.example.com/1/2/3.png")).toBe(false);
    expect(isAllowedRequest("http://127.0.0.1:8080/")).toBe(false);
  });

  it("lets windows fetch tiles from the configured tile server's origin only", () => {
    const origin = "http://10.0.0.5:8080";
    expect(isAllowedRequest("http://10.0.0.5:8080/osm/12/3370/1552.png", origin)).toBe(true);
    expect(isAllowedRequest("http://10.0.0.5/osm/12/3370/1552.png", origin)).toBe(false);
    expect(isAllowedRequest("https://10.0.0.5:8080/osm/12/3370/1552.png", origin)).toBe(false);
    expect(isAllowedRequest("https://tiles.example.com/1/2/3.png", origin)).toBe(false);
    expect(isAllowedRequest("app://console/index.html", origin)).toBe(true);
  });

  it("opens the wall in briefing mode only when configured so", () => {
    expect(windowUrl("briefing")).toBe("app://console/index.html?view=briefing");
    expect(windowUrl("console")).toBe("app://console/index.html");
    expect(windowUrl("patrols")).toBe("app://console/index.html?view=patrols");
  });

  it("marks the wall window's URL as the wall, whatever view it shows, so a push is drawn over it; the operator window stays unmarked", () => {
    expect(windowUrl("console", "wall")).toBe("app://console/index.html?screen=wall");
    expect(windowUrl("patrols", "wall")).toBe("app://console/index.html?view=patrols&screen=wall");
    expect(windowUrl("briefing", "wall")).toBe("app://console/index.html?view=briefing&screen=wall");
    expect(windowUrl("console", "operator")).toBe("app://console/index.html");
  });

  it("derives distinct IPC channels for calls and events from the contract names", () => {
    expect(callChannel("getInitialState")).toBe("grid-console:call:getInitialState");
    expect(eventChannel("status")).toBe("grid-console:event:status");
  });
});
