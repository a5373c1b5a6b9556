import { describe, expect, it } from "vitest";
import { validTileTemplate } from "./tiles.js";

describe("tile templates", () => {
  it("accepts only http(s) templates naming z, x and y", () => {
    expect(validTileTemplate("https://tiles.local/{z}/{x}/{y}.png")).toBe(true);
    expect(validTileTemplate("http://10.0.0.5:8080/osm/{z}/{x}/{y}.png")).toBe(true);
    expect(validTileTemplate("https://tiles.local/{z}/{x}.png")).toBe(false);
    expect(validTileTemplate("file:///etc/{z}/{x}/{y}")).toBe(false);
    expect(validTileTemplate("tiles/{z}/{x}/{y}.png")).toBe(false);
    expect(validTileTemplate(undefined)).toBe(false);
  });

  it("refuses placeholders in the host: deck.gl fills none there, and the CSP must name one fixed origin", () => {
    expect(validTileTemplate("https://{s}.tiles.example.cn/{z}/{x}/{y}.png")).toBe(false);
    expect(validTileTemplate("https://{z}/{x}/{y}")).toBe(false);
  });
});
