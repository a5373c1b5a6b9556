import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm run feed", () => {
  it("prints the one ready line with the picked port, and on SIGTERM saves its state and exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "feed-cli-"));
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "feed/cli.ts", "--port", "0", "--token", "t", "--scale", "street", "--state-dir", dir, "--warmup-hours", "1"], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const start = Date.now();
      while (!stdout.includes("\n") && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toMatch(/^feed listening on http:\/\/127\.0\.0\.1:(\d+)\n$/);
      const port = Number(/:(\d+)\n/.exec(stdout)![1]);
      expect(port).toBeGreaterThan(0);
      const response = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
      expect(response.status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { format: number; units: unknown[] };
      expect(state.format).toBe(2);
      expect(state.units.length).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
