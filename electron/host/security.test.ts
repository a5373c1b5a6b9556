import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders, tileServerOrigin } from "./security.js";

const directive = (policy: string, name: string) => policy.split("; ").find((d) => d.startsWith(`${name} `));

describe("content security policy", () => {
  it("lets the page reach no remote origin when no tile server is configured", () => {
    const policy = contentSecurityPolicy({ port: 4100 });
    expect(directive(policy, "connect-src")).toBe("connect-src 'self' ws://127.0.0.1:4100");
    expect(directive(policy, "img-src")).toBe("img-src 'self' data: blob:");
    expect(directive(contentSecurityPolicy(), "connect-src")).toBe("connect-src 'self'");
  });

  it("allows exactly the configured tile server's origin for fetches and images, and nothing else more", () => {
    const policy = contentSecurityPolicy({ port: 4100, tileOrigin: "http://10.0.0.5:8080" });
    expect(directive(policy, "connect-src")).toBe("connect-src 'self' ws://127.0.0.1:4100 http://10.0.0.5:8080");
    expect(directive(policy, "img-src")).toBe("img-src 'self' data: blob: http://10.0.0.5:8080");
    expect(directive(policy, "default-src")).toBe("default-src 'self'");
    expect(directive(policy, "script-src")).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(securityHeaders(4100, "https://tiles.example.cn")["Content-Security-Policy"]).toContain("img-src 'self' data: blob: https://tiles.example.cn;");
  });

  it("takes the origin (scheme, host, port) of a tile template, never its path or credentials", () => {
    expect(tileServerOrigin("http://10.0.0.5:8080/osm/{z}/{x}/{y}.png")).toBe("http://10.0.0.5:8080");
    expect(tileServerOrigin("https://user:secret@tiles.example.cn/{z}/{x}/{y}.png?key=1")).toBe("https://tiles.example.cn");
    expect(tileServerOrigin("https://tiles.example.cn:443/{z}/{x}/{y}.png")).toBe("https://tiles.example.cn");
  });

  it("names no origin for no template or one that is not an http(s) XYZ template", () => {
    expect(tileServerOrigin(undefined)).toBeUndefined();
    expect(tileServerOrigin("ftp://tiles/{z}/{x}/{y}")).toBeUndefined();
    expect(tileServerOrigin("https://tiles.example.cn/{z}/{x}.png")).toBeUndefined();
    expect(tileServerOrigin("https://{s}.tiles.example.cn/{z}/{x}/{y}.png")).toBeUndefined();
  });
});
