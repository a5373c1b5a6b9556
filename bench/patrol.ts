import type { PatrolReason, PatrolShift } from "../shared/bridge/contract.js";
import { TRACK_DAYS } from "../shared/domain/patrol.js";
import { toBeijingIso } from "../shared/domain/time.js";
import type { Fix } from "../shared/protocol/types.js";
import { checkAll } from "../electron/engine/patrol/checks.js";
import { newRun, TrackStore } from "../electron/engine/patrol/track-store.js";
import { createFeedServer } from "../feed/server.js";
import { TracksService } from "../feed/tracks.js";
import type { Figure, Suite, SuiteContext } from "./lib.js";
import { cpuMsOf, round } from "./lib.js";

/*
 * Verified patrol against the reference feed's planted fraud: a week of a
 * district's tracks as the platform serves them (`tracks`, recomputed from
 * the seed), into the engine's track store and through its checks; the
 * verdicts compared with what the feed planted.
 */

const DAY = 86_400_000;
const KINDS: readonly PatrolReason[] = ["stationary", "speed", "twin", "replay"];
/** A Sunday evening: every shift kind has had its days in the week before. */
const NOW = Date.parse("2026-11-29T20:00:00+08:00");

type Week = { store: TrackStore; fixes: Fix[]; planted: { unitId: string; kind: PatrolReason; twinOf?: string }[]; units: string[] };

async function week(context: SuiteContext, share: number): Promise<Week> {
  const feed = await createFeedServer({ token: "bench", scale: "district", seed: 7, fraudShare: share, startAt: NOW, paused: true, positionsMs: 3_600_000, tickMs: 3_600_000, heartbeatMs: 3_600_000 });
  try {
    const tracks = new TracksService({ members: feed.sim.patrol.members, seed: 7, now: () => NOW });
    const store = new TrackStore();
    const fixes: Fix[] = [];
    const began = performance.now();
    for (let end = NOW; end > NOW - TRACK_DAYS * DAY; end -= 6 * 3_600_000) {
      const run = newRun();
      let cursor: string | undefined;
      do {
        const answer = tracks.answer({ since: toBeijingIso(end - 6 * 3_600_000), until: toBeijingIso(end), ...(cursor ? { cursor } : {}) });
        if (!answer.ok) throw new Error(`tracks refused: ${answer.message}`);
        // The reference feed sends well-formed fixes; the console checks each (parseTracksReply), the bench need not.
        for (const fix of answer.fixes as Fix[]) {
          store.add(fix[0], fix[3], fix[1], fix[2], fix[6], run);
          // The last day's raw fixes, for the per-fix cost.
          if (fix[3] >= NOW - DAY && fixes.length < 400_000) fixes.push(fix);
        }
        cursor = answer.next;
      } while (cursor !== undefined);
    }
    context.log(`  a week of tracks: ${store.points} points kept of the platform's fixes, ${Math.round(performance.now() - began)} ms`);
    return { store, fixes, planted: feed.sim.patrol.planted as Week["planted"], units: feed.sim.patrol.members.map((m) => m.unit.id) };
  } finally {
    await feed.close();
  }
}

export const patrolSuite: Suite = {
  name: "patrol",
  title: "Verified patrol: planted fraud found, and what the checks cost",
  method: [
    "The reference feed at district scale (seed 7) with planted fraud (`fraudShare` 0.08: stationary devices, mock-location jumps, a second phone carried by a colleague, a day replayed), its `tracks` answered in-process for the 7 days before Sunday 2026-11-29 20:00 Beijing time, in 6-hour windows, every page into the engine's TrackStore as the backfill does.",
    "**Accuracy**: the engine's checks (`checkAll`) over that week; each staff member's verdict is that of their latest shift with enough data. For each kind: precision = staff flagged with that reason who were planted with it ÷ staff flagged with it; recall = planted staff flagged with it ÷ planted. A twin is a pair: the feed plants both devices of a pair, each `twinOf` the other (the evidence cannot say which of two devices moving together is the one that lies). Honest staff-shifts flagged: every judged shift of staff not planted (twin partners left out) that came out suspect, over all such shifts.",
    "**Check cost**: CPU time of one `checkAll` over the week (the engine runs it at most every 15 s when the tracks changed, judging a finished shift once; this is the first run, every shift judged). Reference: one pass reading every stored point (the raw cost of touching the same data).",
    "**Per live fix**: CPU time of `TrackStore.add` per fix for the last day's raw fixes in time order into a fresh store (thinning, the jump test, the store). Reference: pushing the same four numbers onto plain arrays.",
  ].join("\n"),
  async run(context) {
    const { store, fixes, planted, units } = await week(context, 0.08);
    const shifts = new Map<string, PatrolShift[]>();
    const checkMs = cpuMsOf(() => checkAll(store, { now: NOW, shifts }));
    const checks = checkAll(store, { now: NOW });
    const readMs = cpuMsOf(() => {
      let sum = 0;
      for (const track of store.units.values()) for (let i = 0; i < track.length; i++) sum += track.at[i]! + track.lon[i]! + track.lat[i]!;
      if (sum === 42) context.log("");
    });

    const byUnit = new Map(checks.map((c) => [c.unitId, c]));
    const partners = new Set(planted.flatMap((p) => (p.twinOf ? [p.twinOf] : [])));
    const figures: Figure[] = [];
    for (const kind of KINDS) {
      const truth = new Set(planted.filter((p) => p.kind === kind).map((p) => p.unitId));
      if (kind === "twin") for (const p of partners) truth.add(p);
      const flagged = new Set(checks.filter((c) => c.verdict === "suspect" && c.reasons.includes(kind)).map((c) => c.unitId));
      const hits = [...flagged].filter((id) => truth.has(id)).length;
      const precision = flagged.size === 0 ? 0 : hits / flagged.size;
      const recall = truth.size === 0 ? 0 : hits / truth.size;
      const missed = [...truth].filter((id) => !flagged.has(id)).map((id) => `${id} ${byUnit.get(id)?.verdict ?? "no track"}`);
      const wrong = [...flagged].filter((id) => !truth.has(id));
      const note = `${truth.size} planted, ${flagged.size} flagged${missed.length ? `; missed: ${missed.slice(0, 4).join(", ")}` : ""}${wrong.length ? `; wrongly flagged: ${wrong.slice(0, 4).join(", ")}` : ""}`;
      figures.push({ suite: "patrol", name: `precision of suspect (${kind}), district week`, value: round(precision, 3), unit: "", target: "≥ 0.95", met: precision >= 0.95, note });
      figures.push({ suite: "patrol", name: `recall of suspect (${kind}), district week`, value: round(recall, 3), unit: "", target: "≥ 0.95", met: recall >= 0.95, note });
    }
    const plantedIds = new Set(planted.map((p) => p.unitId));
    let honestShifts = 0;
    let honestFlagged = 0;
    for (const id of units) {
      if (plantedIds.has(id) || partners.has(id)) continue;
      for (const shift of shifts.get(id) ?? []) {
        if (shift.verdict === "insufficient") continue;
        honestShifts++;
        if (shift.verdict === "suspect") honestFlagged++;
      }
    }
    const honestShare = honestShifts === 0 ? 0 : honestFlagged / honestShifts;
    figures.push({ suite: "patrol", name: "honest staff-shifts flagged suspect, district week", value: round(honestShare * 100, 2), unit: "%", target: "< 1%", met: honestShare < 0.01, note: `${honestFlagged} of ${honestShifts} judged shifts of ${units.length - plantedIds.size - partners.size} honest staff` });
    figures.push({
      suite: "patrol",
      name: `check of a district's week of tracks (${units.length} staff, ${store.points} points)`,
      value: round(checkMs, 0),
      unit: "ms CPU",
      reference: { name: "one pass reading every stored point", value: round(readMs, 1), unit: "ms CPU" },
      ratio: round(checkMs / Math.max(readMs, 0.1), 1),
      target: "< 2,000 ms",
      met: checkMs < 2000,
    });

    const fresh = new TrackStore();
    const addMs = cpuMsOf(() => {
      for (const fix of fixes) fresh.add(fix[0], fix[3], fix[1], fix[2], fix[6]);
    });
    const plain = { at: [] as number[], lon: [] as number[], lat: [] as number[], id: [] as string[] };
    const pushMs = cpuMsOf(() => {
      for (const fix of fixes) {
        plain.id.push(fix[0]);
        plain.at.push(fix[3]);
        plain.lon.push(fix[1]);
        plain.lat.push(fix[2]);
      }
    });
    const perFixUs = (addMs * 1000) / fixes.length;
    figures.push({
      suite: "patrol",
      name: `track store per live fix (${fixes.length} fixes of a district day)`,
      value: round(perFixUs, 3),
      unit: "µs CPU",
      reference: { name: "pushing the same numbers onto plain arrays", value: round((pushMs * 1000) / fixes.length, 3), unit: "µs CPU" },
      ratio: round(addMs / Math.max(pushMs, 0.01), 1),
      target: "< 5 µs",
      met: perFixUs < 5,
    });
    return figures;
  },
};
