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
