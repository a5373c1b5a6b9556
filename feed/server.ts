import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { LIMITS, NAMESPACE, HEARTBEAT_INTERVAL_MS } from "../shared/protocol/limits.js";
import type { CommandResult, Incident } from "../shared/protocol/types.js";
import { toBeijingIso } from "../shared/domain/time.js";
import { type ChaosSettings, mergeChaos, NO_CHAOS, type MalformedKind } from "./chaos.js";
import { evaluateCommand } from "./commands.js";
import { authenticate, serveConsoles } from "./console-namespace.js";
import { StateDir, type SavedState } from "./persist.js";
import type { GeoJsonCollection } from "./region.js";
import { regionFromCollection } from "./region.js";
import { DEFAULT_RESOURCES_DIR, loadReference, loadRegion, type Scale } from "./resources.js";
import { createRng } from "./rng.js";
import { ConsoleSession } from "./session.js";
import { SimClock } from "./sim/clock.js";
import { Simulation } from "./sim/simulation.js";
import { FeedStore, type PartLimits } from "./store.js";
import { serveTrainer } from "./trainer.js";
import { TracksService } from "./tracks.js";
import { DEFAULT_COMMAND_RATE, DEFAULT_SUBSCRIBE_RATE, DEFAULT_MAX_OPEN_CASES, DEFAULT_RESULTS_KEPT, MAX_CLIENT_MESSAGE_BYTES, type RateLimit, RecentResults } from "./limits.js";

export type FeedServerOptions = {
  /** Bearer secret for `/console`. */
  token: string;
  /** Bearer secret for `/trainer` (default: `token`; the CLI warns). A console token then opens no trainer. */
  trainerToken?: string;
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  seed?: number;
  scale?: Scale;
  /** Simulated time runs this many times faster than real time (default 1). */
  speed?: number;
  /** Where state and command results survive restarts; none: memory only. */
  stateDir?: string;
  chaos?: Partial<ChaosSettings>;
  /** Other operators' register/dispatch/verify moves (default false; the CLI turns it on). */
  autopilot?: boolean;
  /** Hours of case history simulated before start (default 0; the CLI uses 8). */
  warmupHours?: number;
  /** Whole Beijing days of case history before the warm-up, made at once from the seed (sim/history.ts; default 0, the CLI's too; the console's demo uses 35). */
  historyDays?: number;
  /** Simulated start time, epoch ms (default now). */
  startAt?: number;
  /** Start with the simulation paused (protocol tests that want a still world). */
  paused?: boolean;
  /** Use this region layer instead of the scale's. */
  region?: GeoJsonCollection;
  resourcesDir?: string;
  heartbeatMs?: number;
  positionsMs?: number;
  tickMs?: number;
  saveMs?: number;
  partLimits?: PartLimits;
  retainDeltas?: number;
  casesPerGridDay?: number;
  sosPerUnitDay?: number;
  /** Share of staff (0..1) who fake their patrols in one of the planted ways (sim/fraud.ts); default 0. */
  fraudShare?: number;
  /** Answer `tracks` and say so in hello (default true); false: a platform without it. */
  tracks?: boolean;
  /** Commands per console socket (default a burst of 50, 10/s sustained); over it: `invalid` "rate limited". */
  commandRate?: RateLimit;
  /** Subscribes per console socket (default a burst of 20, 2/s sustained); over it the socket is disconnected. */
  subscribeRate?: RateLimit;
  /** Console reports are refused (`forbidden`) while this many cases are open (default 20,000). */
  maxOpenCases?: number;
  /** Accepted commands whose first result a repeat gets back (default the last 100,000). */
  resultsKept?: number;
};

export type FeedServer = {
  url: string;
  port: number;
  store: FeedStore;
  sim: Simulation;
  chaos(): ChaosSettings;
  setChaos(update: Partial<ChaosSettings>): ChaosSettings;
  /** A new epoch now; every console is disconnected and must take a snapshot. */
  changeEpoch(): void;
  /** Closes every console connection (they may reconnect). */
  dropConsoles(): number;
  /** Sends one contract-breaking message to every subscribed console. */
  sendMalformed(kind?: MalformedKind): number;
  /** Saves the state now (no-op without a state dir). */
  save(): void;
  close(): Promise<void>;
};

export async function createFeedServer(options: FeedServerOptions): Promise<FeedServer> {
  if (typeof options.token !== "string" || options.token === "") throw new Error("a token is required");
  if (options.trainerToken !== undefined && (typeof options.trainerToken !== "string" || options.trainerToken === "")) throw new Error("the trainer token must not be empty");
  const resourcesDir = options.resourcesDir ?? DEFAULT_RESOURCES_DIR;
  const scale = options.scale ?? "street";
  const seed = options.seed ?? 1;
  const reference = loadReference(resourcesDir);
  const region = options.region ? regionFromCollection(options.region) : await loadRegion(scale, resourcesDir);
  const stateDir = options.stateDir ? new StateDir(options.stateDir) : undefined;
  const loaded = stateDir?.load() ?? { state: null, crashed: false };
  const logged = stateDir?.loadResults() ?? new Map<string, CommandResult>();
  const saved = loaded.state;

  const clock = new SimClock(Math.max(saved?.simTime ?? 0, options.startAt ?? Date.now()), options.speed ?? 1);
  let simNow = () => clock.now();
  const store = new FeedStore(() => simNow(), {
    retainDeltas: options.retainDeltas ?? 20_000,
    partLimits: options.partLimits ?? { incidents: LIMITS.incidentsPerPart, units: LIMITS.unitsPerPart },
    archiveLimit: 20_000,
  });
  if (saved) {
    const incidents = new Map(saved.incidents.map((i) => [i.id, i]));
    if (loaded.crashed) {
      // Results logged after the last save still hold: take any case version they carry that the state lacks.
      for (const result of logged.values()) {
        if (!result.ok) continue;
        const known = incidents.get(result.incident.id);
        if (!known || known.version < result.incident.version) incidents.set(result.incident.id, result.incident);
      }
    }
    store.restore({ ...saved, incidents: [...incidents.values()] });
    if (loaded.crashed) store.changeEpoch();
  }
  const results = new RecentResults(options.resultsKept ?? DEFAULT_RESULTS_KEPT, logged);
  logged.clear();

  const fraudShare = options.fraudShare ?? 0;
  if (!(fraudShare >= 0 && fraudShare <= 1)) throw new RangeError(`fraudShare must be between 0 and 1, got ${fraudShare}`);
  const sim = new Simulation(store, region, reference.categories, reference.departments, clock, createRng(seed), {
    scale,
    seed,
    fraudShare,
    autopilot: options.autopilot ?? false,
    warmupHours: saved ? 0 : (options.warmupHours ?? 0),
    historyDays: saved ? 0 : (options.historyDays ?? 0),
    ...(options.casesPerGridDay !== undefined ? { casesPerGridDay: options.casesPerGridDay } : {}),
    ...(options.sosPerUnitDay !== undefined ? { sosPerUnitDay: options.sosPerUnitDay } : {}),
  });
  simNow = () => sim.now();
  if (saved) sim.caseCounter = saved.caseCounter;
  sim.start(saved !== null);
  // The roster and warm-up history are the starting picture, not news: a fresh server begins at seq 0.
  if (!saved) store.changeEpoch();
  if (options.paused) clock.pause();

  let chaos: ChaosSettings = { ...NO_CHAOS, ...options.chaos };
  const chaosRng = createRng(seed ^ 0x5eed);
  const sessions = new Set<ConsoleSession>();
  const head = () => ({ epoch: store.epoch, seq: store.seq, now: sim.now() });

  const save = () => {
    if (!stateDir) return;
    const state: SavedState = {
      format: 1,
      epoch: store.epoch,
      seq: store.seq,
      simTime: sim.now(),
      caseCounter: sim.caseCounter,
      incidents: [...store.incidents.values()],
      units: [...store.units.values()],
      deltas: store.retained(),
    };
    stateDir.save(state);
  };
  stateDir?.markRunning();
  save();

  const maxOpenCases = options.maxOpenCases ?? DEFAULT_MAX_OPEN_CASES;
  const answerRepeat = (raw: unknown): CommandResult | undefined => {
    const commandId = commandIdOf(raw);
    const first = commandId === undefined ? undefined : results.get(commandId);
    return first?.ok ? { ...first, duplicate: true } : undefined;
  };
  const handleCommand = (raw: unknown): CommandResult => {
    const repeat = answerRepeat(raw);
    if (repeat) return repeat;
    const commandId = commandIdOf(raw);
    if (isReport(raw) && openCases(store) >= maxOpenCases) {
      return { ok: false, code: "forbidden", message: `the platform holds ${maxOpenCases} open cases, its limit; no new report is taken` };
    }
    const outcome = evaluateCommand(
      { store, categories: reference.categories, departments: reference.departments, region, now: sim.now(), newCaseId: () => sim.newCaseId() },
      raw,
    );
    if (outcome.result.ok && commandId !== undefined) {
      results.set(commandId, outcome.result);
      // Durable before anyone hears of it: a crash after this line cannot apply the command twice.
      stateDir?.appendResult(commandId, outcome.result);
      store.commit(outcome.events);
    }
    return outcome.result;
  };

  const tracks = options.tracks === false ? undefined : new TracksService({ members: sim.patrol.members, seed, now: () => sim.now() });

  const http = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES });
  const consoles = io.of(NAMESPACE);
  authenticate(consoles, options.token, { requireProtocol: true });
  serveConsoles(consoles, {
    store,
    now: () => sim.now(),
    scope: region.streetCode ? { districtCode: region.districtCode, streetCode: region.streetCode } : { districtCode: region.districtCode },
    sessions,
    newSession: (socket) => new ConsoleSession(socket, () => chaos, chaosRng, head),
    handleCommand,
    answerRepeat,
    commandRate: options.commandRate ?? DEFAULT_COMMAND_RATE,
    subscribeRate: options.subscribeRate ?? DEFAULT_SUBSCRIBE_RATE,
    ...(tracks ? { handleTracks: (raw: unknown) => tracks.answer(raw) } : {}),
  });

  const dropConsoles = () => {
    const all = [...sessions];
    for (const session of all) session.close();
    return all.length;
  };
  const changeEpoch = () => store.changeEpoch();
  store.onEpoch(() => dropConsoles());
  store.onDelta((delta) => {
    for (const session of sessions) session.sendDelta(delta);
  });
  const sendMalformed = (kind?: MalformedKind) => {
    let sent = 0;
    for (const session of sessions) {
      if (!session.subscribed) continue;
      session.sendMalformed(kind);
      sent++;
    }
    return sent;
  };
  const setChaos = (update: unknown) => {
    const merged = mergeChaos(chaos, update);
    if (merged.ok) chaos = merged.value;
    return merged;
  };
  const trainer = io.of("/trainer");
  authenticate(trainer, options.trainerToken ?? options.token, { requireProtocol: false });
  serveTrainer(trainer, {
    inject: (spec) => sim.inject(spec),
    advance: (id, poor): Incident => sim.advance(id, poor === undefined ? {} : { poor }),
    archive: (id): Incident => sim.archive(id),
    sos: (unitId) => sim.sos(unitId),
    setChaos,
    pause: () => clock.pause(),
    resume: () => clock.resume(),
    skip: (minutes) => {
      clock.skip(minutes * 60_000);
      sim.tick();
    },
    changeEpoch,
    dropConsoles,
    sendMalformed,
    planted: () => sim.patrol.planted,
    status: () => ({
      epoch: store.epoch,
      headSeq: store.seq,
      simTime: toBeijingIso(sim.now()),
      speed: clock.speed,
      paused: clock.paused,
      incidents: store.incidents.size,
      units: store.units.size,
      consoles: sessions.size,
      chaos,
    }),
  });

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => void) => timers.push(setInterval(work, ms));
  every(options.tickMs ?? 200, () => {
    if (!clock.paused) sim.tick();
  });
  every(options.positionsMs ?? 1000, () => {
    const fixes = sim.takeFixes();
    if (fixes.length === 0) return;
    const at = toBeijingIso(sim.now());
    for (let start = 0; start < fixes.length; start += LIMITS.fixesPerFrame) {
      const frame = { at, fixes: fixes.slice(start, start + LIMITS.fixesPerFrame) };
      for (const session of sessions) session.sendPositions(frame);
    }
  });
  every(options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS, () => {
    const heartbeat = { serverTime: toBeijingIso(sim.now()), headSeq: store.seq };
    for (const session of sessions) session.sendHeartbeat(heartbeat);
  });
  every(1000, () => {
    if (chaos.epoch > 0 && chaosRng.chance(chaos.epoch)) changeEpoch();
    for (const session of [...sessions]) {
      if (chaos.drop > 0 && chaosRng.chance(chaos.drop)) session.close();
      else if (chaos.stall > 0 && !session.stalled && chaosRng.chance(chaos.stall)) session.stall(chaos.stallMs);
    }
  });
  if (stateDir) every(options.saveMs ?? 5000, save);

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
  } catch (error) {
    // A port already taken: stop the simulation and release the state dir before reporting it.
    for (const timer of timers) clearInterval(timer);
    stateDir?.closeCleanly();
    void io.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      for (const timer of timers) clearInterval(timer);
      save();
      stateDir?.closeCleanly();
      dropConsoles();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      http.closeAllConnections();
    })());

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    sim,
    chaos: () => chaos,
    setChaos: (update) => {
      const merged = setChaos(update);
      if (!merged.ok) throw new RangeError(merged.message);
      return merged.value;
    },
    changeEpoch,
    dropConsoles,
    sendMalformed,
    save,
    close,
  };
}

function commandIdOf(raw: unknown): string | undefined {
  const commandId = typeof raw === "object" && raw !== null ? (raw as { commandId?: unknown }).commandId : undefined;
  return typeof commandId === "string" ? commandId : undefined;
}

const isReport = (raw: unknown): boolean => typeof raw === "object" && raw !== null && (raw as { type?: unknown }).type === "report";

const CLOSED: ReadonlySet<string> = new Set(["closed", "rejected"]);

function openCases(store: FeedStore): number {
  let open = 0;
  for (const incident of store.incidents.values()) if (!CLOSED.has(incident.status)) open++;
  return open;
}
