import { z } from "zod";
import type { Namespace } from "socket.io";
import { PRIORITIES } from "../shared/protocol/schemas.js";
import { splitArgs } from "./console-namespace.js";
import type { ChaosSettings, MalformedKind } from "./chaos.js";
import { MALFORMED_KINDS } from "./chaos.js";
import type { InjectSpec } from "./sim/simulation.js";
import { SimError } from "./sim/simulation.js";
import type { Planted } from "./sim/fraud.js";

/*
 * `/trainer`: scripted scenarios for the console's end-to-end tests and for
 * instructors. Every event is acked with `{ ok: true, ... }` or
 * `{ ok: false, code, message }`; see feed/README.md.
 */

export type TrainerControls = {
  inject(spec: InjectSpec): unknown;
  advance(incidentId: string, poor?: boolean): unknown;
  /** The platform stops tracking a closed or rejected case now (`incident.archived`), as it does by itself 1 to 3 hours after closing. */
  archive(incidentId: string): unknown;
  sos(unitId?: string): unknown;
  setChaos(update: unknown): { ok: true; value: ChaosSettings } | { ok: false; message: string };
  pause(): void;
  resume(): void;
  skip(minutes: number): void;
  changeEpoch(): void;
  dropConsoles(): number;
  sendMalformed(kind?: MalformedKind): number;
  status(): Record<string, unknown>;
  /** Ground truth for measuring the console's patrol checks (sim/fraud.ts). */
  planted(): readonly Planted[];
};

const injectSchema = z.object({
  categoryCode: z.string().min(1).max(16),
  gridCode: z.string().max(32).optional(),
  priority: z.enum(PRIORITIES).optional(),
  urgent: z.boolean().optional(),
  source: z.enum(["patrol", "hotline", "resident_app"]).optional(),
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(4000).optional(),
  lon: z.number().finite().min(-180).max(180).optional(),
  lat: z.number().finite().min(-90).max(90).optional(),
  manual: z.boolean().optional(),
});

type Reply = { ok: true; [key: string]: unknown } | { ok: false; code: string; message: string };

function run(work: () => Record<string, unknown>): Reply {
  try {
    return { ok: true, ...work() };
  } catch (error) {
    if (error instanceof SimError) return { ok: false, code: error.code, message: error.message };
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      return { ok: false, code: "invalid", message: `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
    }
    throw error;
  }
}

export function serveTrainer(namespace: Namespace, controls: TrainerControls): void {
  namespace.on("connection", (socket) => {
    const on = (event: string, handler: (payload: unknown) => Record<string, unknown>) =>
      socket.on(event, (...args: unknown[]) => {
        const { payload, ack } = splitArgs(args);
        ack(run(() => handler(payload)));
      });
    on("inject", (payload) => ({ incident: controls.inject(injectSchema.parse(payload) as InjectSpec) }));
    on("advance", (payload) => {
      const { incidentId, poor } = z.object({ incidentId: z.string().min(1), poor: z.boolean().optional() }).parse(payload);
      return { incident: controls.advance(incidentId, poor) };
    });
    on("archive", (payload) => ({ incident: controls.archive(z.object({ incidentId: z.string().min(1) }).parse(payload).incidentId) }));
    on("sos", (payload) => ({ unit: controls.sos(z.object({ unitId: z.string().optional() }).parse(payload ?? {}).unitId) }));
    on("chaos", (payload) => {
      const result = controls.setChaos(payload ?? {});
      if (!result.ok) throw new SimError("invalid", result.message);
      return { chaos: result.value };
    });
    on("pause", () => (controls.pause(), controls.status()));
    on("resume", () => (controls.resume(), controls.status()));
    on("skip", (payload) => (controls.skip(z.object({ minutes: z.number().finite().min(0).max(7 * 24 * 60) }).parse(payload).minutes), controls.status()));
    on("epoch", () => (controls.changeEpoch(), controls.status()));
    on("drop", () => ({ dropped: controls.dropConsoles() }));
    on("malformed", (payload) => {
      const kind = z.object({ kind: z.enum(MALFORMED_KINDS as [MalformedKind, ...MalformedKind[]]).optional() }).parse(payload ?? {}).kind;
      return { sent: controls.sendMalformed(kind) };
    });
    on("status", () => controls.status());
    on("planted", () => ({ planted: controls.planted() }));
  });
}
