import type { Bridge } from "../../../shared/bridge/contract.js";

/** Placeholder until the web host's client lands (owned by the shell work). */
export async function connectWebBridge(): Promise<Bridge> {
  throw new Error("web bridge not implemented yet");
}
