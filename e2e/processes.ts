import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnReady, stopChildren, type ReadyChild } from "../scripts/lib/children.js";

/*
 * Child processes for end-to-end tests: started through npm exactly as a user
 * would, their output kept in e2e/.artifacts/logs/, ready when a line on
 * stdout matches, and every one of them ended when the test file ends
 * (scripts/lib/children.ts, shared with the browser benchmarks).
 */

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ARTIFACTS = path.join(REPO, "e2e", ".artifacts");

export type Child = ReadyChild;

/** `npm run --silent <args>`; npm forwards a stop signal to the script, which the package.json scripts `exec`. `env` is added to the child's environment. */
export async function startChild(label: string, args: string[], ready: RegExp, timeoutMs = 90_000, env: Readonly<Record<string, string>> = {}): Promise<Child> {
  mkdirSync(path.join(ARTIFACTS, "logs"), { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, "logs", `${label}-${Date.now()}-${process.pid}.log`));
  try {
    const child = await spawnReady(label, "npm", ["run", "--silent", ...args], ready, { cwd: REPO, timeoutMs, env, onOutput: (chunk) => log.write(chunk) });
    void child.exited.then(() => log.end());
    return child;
  } catch (error) {
    log.end();
    throw error;
  }
}

/** Ends every child still running (afterAll, and on an abrupt exit of the test process). */
export function stopAllChildren(): Promise<void> {
  return stopChildren(15_000);
}
