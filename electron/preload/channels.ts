import type { BridgeCallName, BridgeEventName } from "../../shared/bridge/contract.js";

/*
 * IPC channel names, derived from the bridge contract so that the main
 * process and the preload can never disagree about them (the mistake Signal
 * makes by writing each name twice). Electron-free: the main process imports it too.
 */

export const IPC_PREFIX = "grid-console:";
export const callChannel = (name: BridgeCallName): string => `${IPC_PREFIX}call:${name}`;
export const eventChannel = (name: BridgeEventName): string => `${IPC_PREFIX}event:${name}`;
