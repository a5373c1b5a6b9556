import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

type Handler = (request: Request) => Promise<Response>;
const handlers = new Map<string, Handler>();
const privileged: unknown[] = [];

vi.mock("electron", () => ({
  protocol: {
    handle: (scheme: string, handler: Handler) => handlers.set(scheme, handler),
    registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
  },
}));

const { registerAppScheme, serveApp } = await import("./protocol.js");

const root = mkdtempSync(path.join(tmpdir(), "app-"));
mkdirSync(path.join(root, "assets"));
writeFileSync(path.join(root, "index.html"), "<!doctype html><html><head></head><body></body></html>");
writeFileSync(path.join(root, "assets", "index-1.js"), "export {}");
serveApp(root, () => undefined);
const get = (url: string, method = "GET") => (handlers.get("app") as Handler)(new Request(url, { method }));

describe("the app:// scheme", () => {
  it("is registered as a standard, secure scheme", () => {
    registerAppScheme();
    expect(privileged).toEqual([{ scheme: "app", privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it("serves the built console with a CSP that allows no remote content and no socket", async () => {
    const response = await get("app://console/index.html?view=briefing");
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("connect-src 'self';");
    expect(await response.text()).not.toContain("grid-console-bridge-secret");
    expect((await get("app://console/assets/index-1.js")).headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers 404 for other hosts, other methods and missing files, still with the CSP", async () => {
    for (const response of [await get("app://other/index.html"), await get("app://console/index.html", "POST"), await get("app://console/nope.js")]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });
});

describe("the offline base map on app://", () => {
  it("serves tiles at app://console/tiles/z/x/y with no secret, 204 for a tile the file lacks, the CSP on each", async () => {
    const { openMbtiles } = await import("../engine/mbtiles.js");
    const { solidPng, writeMbtiles } = await import("../engine/testing/mbtiles-fixtures.js");
    const file = path.join(root, "map.mbtiles");
    const png = solidPng(8, 8, [10, 20, 30, 255]);
    await writeMbtiles(file, { metadata: { format: "png", minzoom: "0", maxzoom: "2" }, tiles: [{ z: 2, x: 3, y: 1, data: png }] });
    const reader = await openMbtiles(file);
    try {
      serveApp(root, () => undefined, undefined, reader);
      const tile = await get("app://console/tiles/2/3/1?v=1");
      expect([tile.status, tile.headers.get("content-type")]).toEqual([200, "image/png"]);
      expect(tile.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(Buffer.from(await tile.arrayBuffer()).equals(png)).toBe(true);
      expect((await get("app://console/tiles/2/0/0")).status).toBe(204);
      expect((await get("app://console/tiles/5/0/0")).status).toBe(404);
      expect((await get("app://console/index.html")).status).toBe(200);
    } finally {
      serveApp(root, () => undefined);
      reader.close();
    }
  });
});
