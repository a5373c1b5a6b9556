import { describe, expect, it, vi } from "vitest";
import type { ExportLanguage } from "../../shared/bridge/export-route.js";

vi.mock("electron", () => ({ BrowserWindow: class {} }));

const { exportHandler } = await import("./export-pdf.js");

const quiet = () => undefined;

describe("the Electron shell's briefing export (app://console/export/briefing.pdf)", () => {
  it("answers only its own path", () => {
    const handle = exportHandler(() => Promise.resolve(Buffer.from("%PDF-")), quiet);
    expect(handle(new URL("app://console/index.html"))).toBeNull();
    expect(handle(new URL("app://console/tiles/1/2/3"))).toBeNull();
  });

  it("prints in the language asked for (Chinese when the parameter is anything else) and offers the PDF as an attachment", async () => {
    const asked: ExportLanguage[] = [];
    const handle = exportHandler((language) => {
      asked.push(language);
      return Promise.resolve(Buffer.from("%PDF-1.4 test"));
    }, quiet);
    const reply = await handle(new URL("app://console/export/briefing.pdf?lang=en"));
    expect(reply?.status).toBe(200);
    expect(reply?.headers.get("Content-Type")).toBe("application/pdf");
    expect(reply?.headers.get("Content-Disposition")).toMatch(/^attachment; .*filename\*=UTF-8''/);
    expect(Buffer.from(await (reply as Response).arrayBuffer()).toString("latin1")).toBe("%PDF-1.4 test");
    await handle(new URL("app://console/export/briefing.pdf?lang=fr"));
    expect(asked).toEqual(["en", "zh-CN"]);
  });

  it("prints the handover record its id names, offered as 交接班记录-….pdf, and refuses a request without a valid id", async () => {
    const asked: unknown[] = [];
    const handle = exportHandler((language, target) => {
      asked.push([language, target]);
      return Promise.resolve(Buffer.from("%PDF-1.4 record"));
    }, quiet);
    const reply = (await handle(new URL("app://console/export/handover.pdf?id=rec-1&lang=zh-CN"))) as Response;
    expect(reply.status).toBe(200);
    expect(decodeURIComponent(reply.headers.get("Content-Disposition") ?? "")).toMatch(/filename="handover.pdf"; filename\*=UTF-8''交接班记录-\d{8}-\d{4}\.pdf$/);
    expect(((await handle(new URL("app://console/export/handover.pdf?id=../x"))) as Response).status).toBe(400);
    expect(asked).toEqual([["zh-CN", { kind: "handover", id: "rec-1" }]]);
  });

  it("refuses a second export while one is printing, and takes one again after it", async () => {
    let finish: (pdf: Buffer) => void = () => undefined;
    const handle = exportHandler(() => new Promise<Buffer>((resolve) => (finish = resolve)), quiet);
    const first = handle(new URL("app://console/export/briefing.pdf"));
    const second = await handle(new URL("app://console/export/briefing.pdf"));
    expect(second?.status).toBe(429);
    finish(Buffer.from("%PDF-"));
    expect((await first)?.status).toBe(200);
    const third = handle(new URL("app://console/export/briefing.pdf"));
    finish(Buffer.from("%PDF-"));
    expect((await third)?.status).toBe(200);
  });

  it("says why in both languages when the document cannot be printed", async () => {
    const handle = exportHandler(() => Promise.reject(new Error("no PDF within 90 s")), quiet);
    const reply = (await handle(new URL("app://console/export/briefing.pdf"))) as Response;
    expect(reply.status).toBe(502);
    expect(await reply.json()).toEqual({ code: "page-failed", message: "简报文档未能生成 / the briefing document could not be built", detail: "no PDF within 90 s" });
  });
});
