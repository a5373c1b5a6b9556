import type { BridgeCallName, BridgeCalls, BridgeHandlers, Result } from "../../shared/bridge/contract.js";
import { parseBridgeRequest } from "../../shared/bridge/schemas.js";
import type { ConsoleEngine } from "./engine.js";

/*
 * 推送上墙's bridge calls, checked against the one request table in
 * shared/bridge/schemas.ts. A push names something the console holds (a
 * case or staff member in the cache, a grid of the layer), so the wall never
 * shows an empty frame for a typo; who pushed is the console's operator,
 * under the name the person at the desk gave.
 */

type WallCalls = Pick<BridgeHandlers, "getWall" | "pushToWall" | "clearWall">;
type Response<K extends BridgeCallName> = Promise<Result<BridgeCalls[K]["response"]>>;

export function createWallHandlers(engine: ConsoleEngine): WallCalls {
  async function guarded<K extends BridgeCallName>(name: K, request: unknown, body: (request: BridgeCalls[K]["request"]) => Promise<Result<BridgeCalls[K]["response"]>> | Result<BridgeCalls[K]["response"]>): Response<K> {
    const parsed = parseBridgeRequest(name, request ?? {});
    if (!parsed.ok) return parsed;
    if (!engine.isStarted) return { ok: false, error: { code: "unavailable", message: "the engine is starting" } };
    try {
      return await body(parsed.value);
    } catch (error) {
      engine.options.log?.("error", `bridge call ${name} failed`, { error: String(error) });
      return { ok: false, error: { code: "internal", message: `${name} failed: ${(error as Error).message}` } };
    }
  }

  async function exists(kind: BridgeCalls["pushToWall"]["request"]["kind"], id: string): Promise<boolean> {
    if (kind === "incident") return engine.replica.incidents.has(id) || engine.cache.incident(id) !== undefined;
    if (kind === "unit") return engine.replica.units.has(id);
    const layer = await engine.region.get();
    return layer.ok && layer.layer.grids.some((grid) => grid.code === id);
  }

  return {
    getWall: (request) => guarded("getWall", request, () => ({ ok: true, value: engine.wall.state() })),
    pushToWall: (request) =>
      guarded("pushToWall", request, async ({ kind, id, name, minutes }) => {
        if (!(await exists(kind, id))) return { ok: false, error: { code: "not_found", message: `no ${kind} ${id} to put on the wall` } };
        const operator = engine.options.settings.operator;
        return { ok: true, value: engine.wall.push(kind, id, name ? { ...operator, name } : operator, minutes) };
      }),
    clearWall: (request) => guarded("clearWall", request, ({ pushId }) => ({ ok: true, value: { cleared: engine.wall.clear(pushId) } })),
  };
}
