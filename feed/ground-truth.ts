import type { Fix, Unit } from "../shared/protocol/types.js";
import { LIMITS } from "../shared/protocol/limits.js";
import type { GeoJsonCollection } from "./region.js";
import { regionFromCollection } from "./region.js";
import { DEFAULT_RESOURCES_DIR, loadRegion, type Scale } from "./resources.js";
import { createRng } from "./rng.js";
import type { Planted } from "./sim/fraud.js";
import { Patrol } from "./sim/patrol.js";
import { MemberFixes, MergedFixes } from "./sim/track-stream.js";

/*
 * The reference feed's staff and their tracks without a server or sockets:
 * for a benchmark that measures the console's patrol checks against the
 * planted ground truth in plain Node. Same seed, scale (or region) and share
 * as a server's options give the same staff, the same planted list as the
 * trainer's `planted` and the same fixes as its `tracks`.
 */

export type { FraudKind, Planted } from "./sim/fraud.js";

export type GroundTruthOptions = {
  /** The server's `seed` (default 1). */
  seed?: number;
  /** The server's `scale` (default "street"); ignored with `region`. */
  scale?: Scale;
  /** The server's `fraudShare`, 0..1. */
  fraudShare: number;
  region?: GeoJsonCollection;
  resourcesDir?: string;
};

export type SimulatedPatrol = {
  planted: Planted[];
  /** The roster (statuses are not simulated here). */
  units: Unit[];
  /** Recorded fixes with since <= at < until (epoch ms) in time order, in pages of at most 20,000, as `tracks` sends them. */
  fixes(since: number, until: number, unitIds?: readonly string[]): Generator<Fix[]>;
};

// The server's Simulation builds its patrol from this fork of its seeded Rng: the roster must come out the same here.
const PATROL_FORK = 1;

export async function simulatedPatrol(options: GroundTruthOptions): Promise<SimulatedPatrol> {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? "street";
  const region = options.region ? regionFromCollection(options.region) : await loadRegion(scale, options.resourcesDir ?? DEFAULT_RESOURCES_DIR);
  const patrol = new Patrol(region, createRng(seed).fork(PATROL_FORK), { scale, sosPerUnitDay: 0, seed, fraudShare: options.fraudShare });
  return {
    planted: patrol.planted,
    units: patrol.units(),
    *fixes(since, until, unitIds) {
      const wanted = unitIds ? new Set(unitIds) : null;
      const streams: MemberFixes[] = [];
      patrol.members.forEach((member, index) => {
        if (!wanted || wanted.has(member.unit.id)) streams.push(new MemberFixes(member, index, since, until, seed));
      });
      const merge = new MergedFixes(streams);
      while (!merge.done) yield merge.take(LIMITS.fixesPerTracksReply).fixes;
    },
  };
}

/** The planted staff for a seed, scale and share: what the trainer's `planted` answers. */
export async function plantedFraud(options: GroundTruthOptions): Promise<Planted[]> {
  return (await simulatedPatrol(options)).planted;
}
