import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * `npm run serve` refusing to start, as a user sees it: exit code 2 and one
 * message on stderr. Nothing here gets as far as the engine or the build.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function serve(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), "serve-refusal-"));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GRID_CONSOLE_")));
  const result = spawnSync(process.execPath, ["--import", "tsx", "electron/cli/serve.ts", "--port", "0", "--data-dir", dataDir, ...args], {
    cwd: REPO,
    env: { ...clean, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run serve refuses to start", () => {
  it("without a feed or --demo, naming feedUrl, --feed-url and --demo, and simulating nothing", () => {
    const result = serve([]);
    expect(result.status).toBe(2);
    for (const word of ["feedUrl", "--feed-url", "--demo"]) expect(result.stderr).toContain(word);
    expect(result.stdout).not.toContain("console at");
  });

  it("with the token on the command line, naming the alternatives and never repeating it", () => {
    const result = serve(["--feed-url", "https://grid.example", "--token", "s3cret-on-argv"]);
    expect(result.status).toBe(2);
    for (const word of ["GRID_CONSOLE_TOKEN", '"token"', "tokenFile"]) expect(result.stderr).toContain(word);
    expect(result.stderr + result.stdout).not.toContain("s3cret-on-argv");
  });

  it("with --demo and a feed together, and with a plain-http feed on another host", () => {
    expect(serve(["--demo", "--feed-url", "http://127.0.0.1:1"], { GRID_CONSOLE_TOKEN: "t" }).stderr).toMatch(/demo .*cannot be set together with feedUrl/);
    const remote = serve(["--feed-url", "http://10.1.2.3:3000"], { GRID_CONSOLE_TOKEN: "s3cret-in-env" });
    expect(remote.status).toBe(2);
    expect(remote.stderr).toMatch(/feedUrl .*must be https:\/\//);
    expect(remote.stderr).not.toContain("s3cret-in-env");
  });
});
