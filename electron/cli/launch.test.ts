import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appModeArguments, electronBinary, findBrowser } from "./launch.js";

function fakeBin(names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bin-"));
  for (const name of names) {
    writeFileSync(path.join(dir, name), "#!/bin/sh\n");
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

describe("findBrowser", () => {
  it("prefers chromium over google-chrome on PATH", () => {
    const dir = fakeBin(["google-chrome", "chromium"]);
    expect(findBrowser(undefined, dir)).toBe(path.join(dir, "chromium"));
  });

  it("uses the configured browser, by command or by path, and nothing else", () => {
    const dir = fakeBin(["chromium", "my-chrome"]);
    expect(findBrowser("my-chrome", dir)).toBe(path.join(dir, "my-chrome"));
    expect(findBrowser(path.join(dir, "my-chrome"), "")).toBe(path.join(dir, "my-chrome"));
    expect(findBrowser("absent-browser", dir)).toBeNull();
  });

  it("finds nothing on an empty PATH", () => {
    expect(findBrowser(undefined, fakeBin([]))).toBeNull();
  });
});

describe("appModeArguments", () => {
  it("opens the URL as an app window with a fresh profile, turning the sandbox off only for root", () => {
    const args = appModeArguments("http://127.0.0.1:1/", "/data/browser-x", false);
    expect(args).toContain("--app=http://127.0.0.1:1/");
    expect(args).toContain("--user-data-dir=/data/browser-x");
    expect(args).not.toContain("--no-sandbox");
    expect(appModeArguments("http://127.0.0.1:1/", "/p", true)).toContain("--no-sandbox");
  });
});

describe("electronBinary", () => {
  const fakePackage = (pathTxt?: string, binary?: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), "electron-pkg-"));
    if (pathTxt !== undefined) writeFileSync(path.join(dir, "path.txt"), pathTxt);
    if (binary !== undefined) {
      mkdirSync(path.join(dir, "dist"), { recursive: true });
      writeFileSync(path.join(dir, "dist", binary), "#!/bin/sh\n");
      chmodSync(path.join(dir, "dist", binary), 0o755);
    }
    return dir;
  };

  it("finds the downloaded binary that path.txt names", () => {
    const dir = fakePackage("electron", "electron");
    expect(electronBinary(dir)).toBe(path.join(dir, "dist", "electron"));
  });

  it("answers null, without downloading, when the binary was never fetched", () => {
    expect(electronBinary(fakePackage())).toBeNull();
    expect(electronBinary(fakePackage("electron"))).toBeNull();
    expect(electronBinary(fakePackage(""))).toBeNull();
  });

  it("reads the installed package the same way: a path under its dist/ or null, never a download", () => {
    const found = electronBinary();
    expect(found === null || found.includes(path.join("electron", "dist"))).toBe(true);
  });
});
