import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_STATUS, openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { switchLanguage } from "./operator.js";

const SUB_CENTER = "东华门街道网格化服务管理分中心";

describe("the wall in a browser", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let page: Page;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    app = await startConsole({ feed, args: ["--sub-center-name", SUB_CENTER] });
    page = await openConsole(app);
  });
  afterAll(stopEverything);

  it("goes live and shows when its data is from", async () => {
    const asOf = await waitForState(page, "live");
    expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(Number.isFinite(Date.parse(asOf ?? ""))).toBe(true);
    await saveScreenshot(page, "wall-live");
  });

  it("speaks Simplified Chinese first: the sub-center name and the connection state in the header", async () => {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    await expect(page.locator('[role="banner"]').innerText()).resolves.toContain(SUB_CENTER);
    await expect(page.locator(CONNECTION_STATUS).innerText()).resolves.toContain("在线");
  });

  it("has no English word on the Chinese wall, diagnostics open included", async () => {
    // Not English prose: the switch to English itself, case numbers (DC2026…), 居民App, the Enter key, KB, PDF (a file
    // format, as Chinese software names it), the term epoch.
    const allowed = new Set(["EN", "DC", "App", "Enter", "KB", "PDF", "epoch"]);
    const latinWords = () =>
      page.evaluate(() => {
        const attributes = [...document.querySelectorAll("[title],[aria-label],[placeholder]")].flatMap((e) => [e.getAttribute("title"), e.getAttribute("aria-label"), e.getAttribute("placeholder")]);
        return [...[document.body.innerText, ...attributes].join(" ").matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]);
      });
    await page.waitForTimeout(3_000);
    expect((await latinWords()).filter((word) => !allowed.has(word))).toEqual([]);
    await page.getByTestId("diagnostics-button").click();
    const epochValue = page.locator(".diagnostics dt", { hasText: "序列空间" }).locator("xpath=following-sibling::dd[1]");
    await epochValue.waitFor();
    // The epoch's value is the platform's opaque id, not a word.
    const epoch = await epochValue.innerText();
    expect((await latinWords()).filter((word) => !allowed.has(word) && !epoch.includes(word))).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByTestId("diagnostics").waitFor({ state: "detached" });
  });

  it("switches to English and back", async () => {
    await switchLanguage(page, "en");
    await expect(page.locator(CONNECTION_STATUS).innerText()).resolves.toContain("Live");
    await saveScreenshot(page, "wall-english");
    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.locator(CONNECTION_STATUS).innerText()).toContain("在线");
  });

  it("shows a wrong token as unauthorized, not as an outage, with a banner saying so in Chinese and in English", async () => {
    const wrong = await startConsole({ feedUrl: feed.url, token: "not-the-token" });
    const wrongPage = await openConsole(wrong);
    await waitForState(wrongPage, "unauthorized");
    const banner = () => wrongPage.getByTestId("outage-banner").innerText();
    const zh = await banner();
    expect(zh).toContain("认证失败");
    expect(zh).toContain("平台拒绝了本控制台的访问凭证");
    expect(zh).toContain("这不是网络故障");
    expect(zh).not.toContain("离线");
    expect(zh).toContain("请检查配置");
    expect(zh).not.toMatch(/token|configuration|refused/i);
    await saveScreenshot(wrongPage, "wall-unauthorized");
    await switchLanguage(wrongPage, "en");
    await expect.poll(banner).toContain("The platform refused this console's credentials");
    // It stays so: a refused token is not retried into a live state.
    await wrongPage.waitForTimeout(5_000);
    expect(await wrongPage.locator(CONNECTION_STATUS).getAttribute("data-state")).toBe("unauthorized");
    await wrongPage.context().close();
    expect(await wrong.stop()).toBe(0);
  });

  it("reloads a page left open across an upgrade into the build now served, and not across a plain restart", async () => {
    let loads = 0;
    const count = (frame: ReturnType<Page["mainFrame"]>) => {
      if (frame === page.mainFrame()) loads++;
    };
    page.on("framenavigated", count);
    try {
      await app.restart();
      await waitForState(page, "live");
      expect(loads).toBe(0);
      // A tab still running the last release: its entry script is named otherwise (a build's file names carry its content hash).
      await page.evaluate(() => document.querySelector('script[type="module"]')?.setAttribute("src", "./assets/index-lastrelease.js"));
      await app.restart();
      await expect.poll(() => loads, { timeout: 60_000 }).toBe(1);
      await waitForState(page, "live");
      expect(await page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute("src"))).not.toContain("lastrelease");
    } finally {
      page.off("framenavigated", count);
    }
  });

  it("keeps the page working across a console restart, and stops with exit code 0 on SIGTERM", async () => {
    await app.restart();
    await waitForState(page, "live");
    expect(await app.stop()).toBe(0);
  });
});
