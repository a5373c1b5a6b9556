import { useCallback, useEffect, useState } from "react";
import type { BridgeCalls, HandoverRecord, Result } from "../../../shared/bridge/contract.js";
import { useConsole, useDataSelector } from "../state/context.js";

type HandoverState = { pending: HandoverRecord | null; shiftFrom: string | null };

/** Asked again this often, so a record written at another desk shows here too. */
const REFRESH_MS = 30_000;

const unreachable = (error: unknown): { ok: false; error: { code: "unavailable"; message: string } } => ({ ok: false, error: { code: "unavailable", message: String(error) } });

/**
 * The record waiting for the next operator, and the calls that write and take
 * one over. Asked for when the page opens, whenever the connection changes
 * state (a restarted console comes back through `connecting`), and every 30 s.
 */
export function useHandover() {
  const { bridge } = useConsole();
  const statusSince = useDataSelector((s) => s.status.since);
  const [state, setState] = useState<HandoverState>({ pending: null, shiftFrom: null });

  const refresh = useCallback(
    () =>
      bridge
        .call("getHandover", {})
        .catch(unreachable)
        .then((answer) => {
          if (answer.ok) setState(answer.value);
        }),
    [bridge],
  );

  useEffect(() => {
    let alive = true;
    const ask = () =>
      void bridge
        .call("getHandover", {})
        .catch(unreachable)
        .then((answer) => {
          if (alive && answer.ok) setState(answer.value);
        });
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [bridge, statusSince]);

  const write = useCallback(
    async (request: BridgeCalls["writeHandover"]["request"]): Promise<Result<HandoverRecord>> => {
      const answer = await bridge.call("writeHandover", request).catch(unreachable);
      if (answer.ok) setState({ pending: answer.value, shiftFrom: answer.value.to });
      return answer;
    },
    [bridge],
  );

  const acknowledge = useCallback(
    async (request: BridgeCalls["acknowledgeHandover"]["request"]): Promise<Result<{ acknowledged: boolean }>> => {
      const answer = await bridge.call("acknowledgeHandover", request).catch(unreachable);
      if (answer.ok) await refresh();
      return answer;
    },
    [bridge, refresh],
  );

  return { ...state, write, acknowledge };
}
