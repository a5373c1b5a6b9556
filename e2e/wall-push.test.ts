import type { Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsole, saveScreenshot, startConsole, startFeed, stopEverything, waitForState, type ConsoleApp, type Feed } from "./harness.js";
import { connectTrainer, openCase, train } from "./operator.js";

/*
 * 推送上墙: the operator puts the case they are looking at on the wall; a
 * briefing page (another browser, as the wall is) shows it within seconds with
 * who pushed it, without the case's free text, and goes back to its rotation
 * when the operator takes it back. The patrol screen (`?view=patrols`, a wall
 * too) shows it as a card over its map below the header, and loses it on the
 * take-back; the operator's own console is never taken over.
 */

const DESCRIPTION_SECRET = "报告人王秀英称其邻居";
const pushed = (page: Page) => page.getByTestId("wall-pushed");

/*
 * When a page's DOM first matched (or first stopped matching) a selector, by
 * the page's clock, from a MutationObserver: the time the change was drawn
 * into the DOM, not when a poll got round to looking. With four pages drawing
 * maps in software on two cores, a page's main thread can be busy for
 * seconds after the change, and a poll would count that as delay.
 */
async function watchFor(page: Page, key: string, selector: string, present: boolean): Promise<void> {
  await page.evaluate(
    ({ key, selector, present }) => {
      const marks = ((window as unknown as { __marks?: Record<string, number> }).__marks ??= {});
      delete marks[key];
      const check = () => {
        if ((document.querySelector(selector) !== null) !== present) return false;
        marks[key] = Date.now();
        return true;
      };
      if (check()) return;
      const observer = new MutationObserver(() => {
        if (check()) observer.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    },
    { key, selector, present },
  );
}

/** The page-clock time `watchFor` saw the change, waiting up to `timeout` ms for it. */
async function seenAt(page: Page, key: string, timeout: number): Promise<number> {
  const handle = await page.waitForFunction((key) => (window as unknown as { __marks?: Record<string, number> }).__marks?.[key] ?? null, key, { timeout, polling: 100 });
  return (await handle.jsonValue()) as number;
}

describe("push to wall (推送上墙)", () => {
  let feed: Feed;
  let app: ConsoleApp;
  let trainer: Socket;

  beforeAll(async () => {
    feed = await startFeed({ scale: "street", speed: 10 });
    trainer = await connectTrainer(feed);
    app = await startConsole({ feed, args: ["--operator-name", "李明"] });
  });
  afterAll(async () => {
    trainer?.close();
    await stopEverything();
  });

  it("shows the pushed case on the briefing wall and over the patrol screen's map with the pusher's name, and the take-back returns them to what they showed", async () => {
    const operator = await openConsole(app);
    const wall = await openConsole(app, { query: "?view=briefing" });
    const patrols = await openConsole(app, { query: "?view=patrols" });
    // The console as the Electron wall window opens it (electron/main/trust.ts windowUrl).
    const consoleWall = await openConsole(app, { query: "?screen=wall" });
    await waitForState(operator, "live");
    await wall.getByTestId("briefing").waitFor({ timeout: 60_000 });
    await patrols.getByTestId("patrol-screen").waitFor({ timeout: 60_000 });
    const report = await train(trainer, "inject", { categoryCode: "0401", source: "patrol", manual: true, urgent: true, title: "上墙测试：主干道井盖缺失", description: DESCRIPTION_SECRET });
    await openCase(operator, report.id);
    const button = operator.getByTestId("incident-detail").getByTestId("push-to-wall");
    await expect(button.getAttribute("data-pushed")).resolves.toBe("false");
    const selector = `[data-testid="wall-pushed"][data-kind="incident"][data-id="${report.id}"]`;
    await watchFor(wall, "pushed", selector, true);
    await button.click();

    const shown = wall.locator(selector);
    // From the engine taking the push (its time, on this machine) to the wall drawing it.
    const drawnAt = await seenAt(wall, "pushed", 10_000);
    const seconds = (drawnAt - Date.parse((await shown.getAttribute("data-at")) ?? "")) / 1000;
    console.log(`wall push drawn ${seconds.toFixed(2)} s after the engine took it`);
    expect(seconds).toBeLessThan(5);
    const text = await shown.innerText();
    expect(text).toContain("李明");
    expect(text).toContain("上墙测试：主干道井盖缺失");
    expect(text).toContain(report.id);
    expect(text).not.toContain(DESCRIPTION_SECRET);
    expect(await wall.getByTestId("briefing-scene-title").innerText()).toBe("值班推送");
    // The wall only reads: it has nothing to push or take back with.
    await expect(wall.getByTestId("push-to-wall").count()).resolves.toBe(0);
    // The operator's button now takes it back, and says until when it stays up.
    await expect.poll(() => button.getAttribute("data-pushed"), { timeout: 30_000 }).toBe("true");
    await saveScreenshot(wall, "wall-pushed-case");
    await saveScreenshot(operator, "wall-push-operator");

    // The patrol screen: the same masked card, over the map and under the header, which stays in view.
    const overPatrols = patrols.locator(selector);
    await overPatrols.waitFor({ timeout: 10_000 });
    const patrolText = await overPatrols.innerText();
    expect(patrolText).toContain("李明");
    expect(patrolText).toContain("上墙测试：主干道井盖缺失");
    expect(patrolText).not.toContain(DESCRIPTION_SECRET);
    const [header, card, map] = await Promise.all([patrols.locator("header.header").boundingBox(), overPatrols.boundingBox(), patrols.getByTestId("map").boundingBox()]);
    if (!header || !card || !map) throw new Error("the patrol screen's header, map or pushed card is not laid out");
    expect(card.y).toBeGreaterThanOrEqual(header.y + header.height);
    expect(card.x).toBeGreaterThanOrEqual(map.x);
    expect(card.x + card.width).toBeLessThanOrEqual(map.x + map.width + 1);
    await expect(patrols.getByTestId("connection-status").isVisible()).resolves.toBe(true);
    await saveScreenshot(patrols, "wall-pushed-patrols");
    // The console as the wall: the card lies inside the map's box; the header and the attention list stay in view.
    const overConsole = consoleWall.locator(selector);
    await overConsole.waitFor({ timeout: 10_000 });
    const [centre, consoleCard, attention] = await Promise.all([consoleWall.locator(".wall__center").boundingBox(), overConsole.boundingBox(), consoleWall.getByTestId("attention-list").boundingBox()]);
    if (!centre || !consoleCard || !attention) throw new Error("the wall console's map, pushed card or attention list is not laid out");
    expect(consoleCard.y).toBeGreaterThanOrEqual(centre.y);
    expect(consoleCard.y + consoleCard.height).toBeLessThanOrEqual(centre.y + centre.height + 1);
    expect(consoleCard.y + consoleCard.height).toBeLessThanOrEqual(attention.y);
    expect(await overConsole.innerText()).not.toContain(DESCRIPTION_SECRET);
    await saveScreenshot(consoleWall, "wall-pushed-console");
    // The operator's console on the web host is an operator's page: a push never covers it.
    await expect(pushed(operator).count()).resolves.toBe(0);

    // Each page notes when the card left its DOM, the operator's page when its button flipped back; the figures are logged.
    const walls = [["briefing", wall], ["patrols", patrols], ["wall console", consoleWall]] as const;
    for (const [, page] of walls) await watchFor(page, "taken back", '[data-testid="wall-pushed"]', false);
    await watchFor(operator, "taken back", '[data-testid="incident-detail"] [data-testid="push-to-wall"][data-pushed="true"]', false);
    const clicked = Date.now();
    await button.click();
    // Not a latency check (the push's is, above): a page that never lets go says which, and what the operator's control read then.
    const letGo = async (name: string, page: Page) => {
      const at = await seenAt(page, "taken back", 30_000).catch(async (error: unknown) => {
        const seen = await operator.getByTestId("incident-detail").locator(".wall-push").innerText().catch(() => "(not found)");
        throw new Error(`the ${name} page still shows the push 30 s after the take-back; the operator's push control reads: ${seen}`, { cause: error });
      });
      return `${name} ${((at - clicked) / 1000).toFixed(2)} s`;
    };
    const times = [await letGo("operator", operator)];
    for (const [name, page] of walls) times.push(await letGo(name, page));
    console.log(`take-back, from the click: ${times.join(", ")}`);
    await patrols.getByTestId("map").waitFor();
    await expect.poll(() => wall.getByTestId("briefing-scene-title").innerText(), { timeout: 30_000 }).not.toBe("值班推送");
    await expect.poll(() => button.getAttribute("data-pushed"), { timeout: 30_000 }).toBe("false");
  });
});
