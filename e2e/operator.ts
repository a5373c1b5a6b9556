import type { Page } from "playwright-core";
import { io, type Socket } from "socket.io-client";
import type { Feed } from "./harness.js";

/*
 * What the browser tests do as an operator (find a case, act on it, wait for
 * its status) and as the platform's other side (the reference feed's
 * /trainer namespace: inject a report, advance a case).
 */

/**
 * Switches the wall's language with its own switch (by test id: a text match
 * for "EN" is case-insensitive and can hit another button) and waits until the
 * page says it is in that language. The words on screen follow in the same
 * render; wait for the one you assert on with a poll.
 */
export async function switchLanguage(page: Page, language: "zh-CN" | "en"): Promise<void> {
  await page.getByTestId(`language-${language}`).click();
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, language, { timeout: 30_000 });
}

/** The map's zoom as the map reports it (its container's `data-zoom`, to 0.1). */
export const mapZoom = (page: Page): Promise<number> => page.locator(".map-canvas").getAttribute("data-zoom").then(Number);

type TrainerReply = { ok: true; incident?: { id: string; version: number; status: string; createdAt: string } } | { ok: false; code: string; message: string };

export function connectTrainer(feed: Pick<Feed, "url" | "trainerToken">): Promise<Socket> {
  const socket = io(`${feed.url}/trainer`, { auth: { token: feed.trainerToken }, transports: ["websocket"], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** One trainer call; throws with the feed's code and message when it refuses. */
export async function train(trainer: Socket, event: string, payload: Record<string, unknown>): Promise<{ id: string; version: number; status: string; createdAt: string }> {
  const reply = (await trainer.timeout(10_000).emitWithAck(event, payload)) as TrainerReply;
  if (!reply.ok) throw new Error(`trainer ${event}: ${reply.code} ${reply.message}`);
  if (!reply.incident) throw new Error(`trainer ${event}: no incident in the reply`);
  return reply.incident;
}

export const detail = (page: Page) => page.getByTestId("incident-detail");

/**
 * Finds the case by its number in the queue's search box and opens it. The
 * timeouts are generous because the map renders WebGL in software on CI, so a
 * frame can take seconds on a loaded two-core machine.
 */
export async function openCase(page: Page, id: string): Promise<void> {
  await page.getByTestId("queue-search").fill(id);
  await page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`).click({ timeout: 60_000 });
  await page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"]`).waitFor({ timeout: 30_000 });
}

/** Presses the action's button on the open case, fills the form and submits it. */
export async function act(page: Page, action: string, fields: { note?: string; department?: string } = {}): Promise<void> {
  await detail(page).locator(`[data-action="${action}"]`).click();
  const form = page.getByTestId("action-form");
  await form.waitFor();
  if (fields.department !== undefined) await form.getByTestId("action-department").selectOption(fields.department);
  if (fields.note !== undefined) await form.getByTestId("action-note").fill(fields.note);
  await form.getByTestId("action-submit").click();
  await form.waitFor({ state: "detached", timeout: 30_000 });
}

export async function waitStatus(page: Page, id: string, status: string, timeout = 60_000): Promise<void> {
  await page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"][data-status="${status}"]`).waitFor({ timeout });
}

/**
 * Walks a reported case through the wall to 结案: the operator opens it,
 * registers and dispatches it, the platform's department answers (the
 * trainer advances it twice), and the operator closes it with `note`. The
 * case stays open in the detail.
 */
export async function closeThroughWall(page: Page, trainer: Socket, id: string, note: string): Promise<void> {
  await openCase(page, id);
  await act(page, "register");
  await waitStatus(page, id, "registered");
  await act(page, "dispatch");
  await waitStatus(page, id, "dispatched");
  await train(trainer, "advance", { incidentId: id });
  await train(trainer, "advance", { incidentId: id });
  await waitStatus(page, id, "responded");
  await act(page, "close", { note });
  await waitStatus(page, id, "closed");
}
