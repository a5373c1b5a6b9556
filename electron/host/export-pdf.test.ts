import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXPORT_PDF_PATH, EXPORT_SECRET_HEADER, HANDOVER_PDF_PATH } from "../../shared/bridge/export-route.js";
import { exportPageUrl, exportRoute, type ExportRouteOptions } from "./export-pdf.js";
import { PrintError, printPage, type PrintOptions } from "./headless-print.js";

const SECRET = "a".repeat(64);

/** Alive and not a zombie (a container's init may be slow to reap what it inherits). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
const quiet = () => undefined;
const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server answering only the export route, as the web host wires it. */
async function serve(options: Partial<ExportRouteOptions>): Promise<string> {
  const route = exportRoute({ secrets: () => [SECRET], handoverSecrets: () => [SECRET], consoleUrl: () => "http://127.0.0.1:1/?key=k", browser: undefined, log: quiet, locateBrowser: () => "/usr/bin/chromium", ...options });
  const server = http.createServer((request, response) => {
    if (!route(request, response, { "X-Test": "1" }, new URL(request.url ?? "/", "http://127.0.0.1"))) response.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ask = (base: string, query = "", secret: string | null = SECRET) => fetch(`${base}${EXPORT_PDF_PATH}${query}`, { headers: secret === null ? {} : { [EXPORT_SECRET_HEADER]: secret } });

describe("the web host's briefing export route", () => {
  it("prints the keyed console URL as the briefing export view, in the language asked for, and answers with a PDF attachment", async () => {
    const printed: PrintOptions[] = [];
    const base = await serve({ print: (options) => (printed.push(options), Promise.resolve(Buffer.from("%PDF-1.7 fake"))) });
    const reply = await ask(base, "?lang=en");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/pdf");
    expect(reply.headers.get("content-disposition")).toMatch(/^attachment; filename="briefing.pdf"; filename\*=UTF-8''%E6%80%81/);
    expect(reply.headers.get("x-test")).toBe("1");
    expect(await reply.text()).toBe("%PDF-1.7 fake");
    expect(printed[0]?.browser).toBe("/usr/bin/chromium");
    const url = new URL(printed[0]?.url ?? "");
    expect(Object.fromEntries(url.searchParams)).toEqual({ key: "k", view: "briefing", export: "pdf", lang: "en" });
  });

  it("refuses a request without this launch's secret before starting any browser", async () => {
    let started = 0;
    const base = await serve({ print: () => (started++, Promise.resolve(Buffer.from(""))) });
    for (const secret of [null, "b".repeat(64), ""]) {
      const reply = await ask(base, "", secret);
      expect(reply.status).toBe(401);
      expect(((await reply.json()) as { code: string }).code).toBe("unauthorized");
    }
    expect(started).toBe(0);
  });

  it("names the browser setting when no Chromium is found", async () => {
    const base = await serve({ browser: "/opt/none/chrome", locateBrowser: () => null });
    const reply = await ask(base);
    expect(reply.status).toBe(503);
    const body = (await reply.json()) as { code: string; message: string; detail: string };
    expect(body.code).toBe("no-browser");
    expect(body.message).toContain("browser");
    expect(body.message).toContain("Chromium");
    expect(body.detail).toBe("browser: /opt/none/chrome");
  });

  it("takes one export at a time", async () => {
    let finish: (pdf: Buffer) => void = () => undefined;
    const base = await serve({ print: () => new Promise<Buffer>((resolve) => (finish = resolve)) });
    const first = ask(base);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await ask(base)).status).toBe(429);
    finish(Buffer.from("%PDF-"));
    expect((await first).status).toBe(200);
    const third = ask(base);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish(Buffer.from("%PDF-"));
    expect((await third).status).toBe(200);
  });

  it("passes a print failure on with its kind: a timeout is 504, a broken browser 502", async () => {
    const timeout = await serve({ print: () => Promise.reject(new PrintError("timeout", "no PDF within 90 s")) });
    expect((await ask(timeout)).status).toBe(504);
    const broken = await serve({ print: () => Promise.reject(new PrintError("browser-failed", "exited (1) before it was ready")) });
    const reply = await ask(broken);
    expect(reply.status).toBe(502);
    expect(((await reply.json()) as { detail: string }).detail).toBe("exited (1) before it was ready");
  });

  it("leaves every other path to the rest of the host", async () => {
    const base = await serve({});
    expect((await fetch(`${base}/export/other.pdf`)).status).toBe(404);
  });

  it("prints the handover record named by its id as the handover view, and offers it as 交接班记录-….pdf", async () => {
    const printed: PrintOptions[] = [];
    const base = await serve({ print: (options) => (printed.push(options), Promise.resolve(Buffer.from("%PDF-1.7 record"))) });
    const reply = await fetch(`${base}${HANDOVER_PDF_PATH}?id=4f0c2a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f&lang=zh-CN`, { headers: { [EXPORT_SECRET_HEADER]: SECRET } });
    expect(reply.status).toBe(200);
    expect(decodeURIComponent(reply.headers.get("content-disposition") ?? "")).toMatch(/filename="handover.pdf"; filename\*=UTF-8''交接班记录-\d{8}-\d{4}\.pdf$/);
    expect(await reply.text()).toBe("%PDF-1.7 record");
    expect(Object.fromEntries(new URL(printed[0]?.url ?? "").searchParams)).toEqual({ key: "k", view: "handover", export: "pdf", lang: "zh-CN", id: "4f0c2a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f" });
  });

  it("refuses a handover print without a record id, or with one that is not an id, before starting any browser", async () => {
    let started = 0;
    const base = await serve({ print: () => (started++, Promise.resolve(Buffer.from(""))) });
    for (const query of ["", "?id=", "?id=../../etc", `?id=${"x".repeat(65)}`]) {
      const reply = await fetch(`${base}${HANDOVER_PDF_PATH}${query}`, { headers: { [EXPORT_SECRET_HEADER]: SECRET } });
      expect(reply.status).toBe(400);
    }
    expect((await fetch(`${base}${HANDOVER_PDF_PATH}?id=abc`)).status).toBe(401);
    expect(started).toBe(0);
  });

  it("prints a handover record only for an operator's secret: the briefing page's secret prints the briefing, not the record", async () => {
    const briefing = "c".repeat(64);
    let started = 0;
    const base = await serve({ secrets: () => [SECRET, briefing], handoverSecrets: () => [SECRET], print: () => (started++, Promise.resolve(Buffer.from("%PDF-1.7"))) });
    const record = `${base}${HANDOVER_PDF_PATH}?id=4f0c2a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f`;
    expect((await fetch(record, { headers: { [EXPORT_SECRET_HEADER]: briefing } })).status).toBe(401);
    expect(started).toBe(0);
    expect((await ask(base, "", briefing)).status).toBe(200);
    expect((await fetch(record, { headers: { [EXPORT_SECRET_HEADER]: SECRET } })).status).toBe(200);
    expect(started).toBe(2);
  });

  it("adds the export parameters to a console URL that already has a query", () => {
    expect(exportPageUrl("http://127.0.0.1:5/?key=abc", "zh-CN")).toBe("http://127.0.0.1:5/?key=abc&view=briefing&export=pdf&lang=zh-CN");
  });
});

/** Debian's Chromium, as the e2e tests use it; the tests that need a real browser are skipped without one. */
const CHROMIUM = process.env.GRID_CONSOLE_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** A page at / that behaves as `body` says, for the real browser to print. */
async function page(body: string): Promise<string> {
  const server = http.createServer((_request, response) => response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html><html><body>${body}</body></html>`));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe("printing in a headless browser", () => {
  it.skipIf(!existsSync(CHROMIUM))("prints once the document says it is ready", async () => {
    const url = await page(`<p>数据截至 test</p><script>setTimeout(() => document.documentElement.setAttribute("data-export-state", "ready"), 300)</script>`);
    const pdf = await printPage({ browser: CHROMIUM, url, timeoutMs: 60_000, runningAsRoot: process.getuid?.() === 0 });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it.skipIf(!existsSync(CHROMIUM))("fails at once, with the page's reason, when the console could not reach its engine", async () => {
    const url = await page(`<div data-testid="bridge-error"><pre>no answer from the console engine</pre></div>`);
    await expect(printPage({ browser: CHROMIUM, url, timeoutMs: 60_000, runningAsRoot: process.getuid?.() === 0 })).rejects.toMatchObject({
      code: "page-failed",
      message: expect.stringContaining("no answer from the console engine"),
    });
  });

  it("says so plainly when the browser cannot start", async () => {
    await expect(printPage({ browser: "/nonexistent/chromium", url: "http://127.0.0.1:1/", timeoutMs: 10_000 })).rejects.toMatchObject({ code: "browser-failed" });
  });

  it("gives up after its time limit and ends the browser's whole process group", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fake-browser-"));
    const pidFile = path.join(dir, "pid");
    const fake = path.join(dir, "chromium");
    // A browser that never says it is listening, with a child of its own that must not outlive it.
    writeFileSync(fake, `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\nwait\n`);
    chmodSync(fake, 0o755);
    const began = Date.now();
    await expect(printPage({ browser: fake, url: "http://127.0.0.1:1/", timeoutMs: 800 })).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - began).toBeLessThan(8000);
    const child = Number(readFileSync(pidFile, "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(running(child)).toBe(false);
  });
});
