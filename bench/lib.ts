import os from "node:os";

/** One figure of BENCHMARKS.md: a measurement, the reference measured in the same run, and the target. */
export type Figure = {
  suite: string;
  name: string;
  value: number;
  unit: string;
  reference?: { name: string; value: number; unit: string };
  /** value / reference, or a ratio defined by the suite (say which in `ratioMeaning`). */
  ratio?: number;
  ratioMeaning?: string;
  target?: string;
  met?: boolean;
  note?: string;
};

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Runs `work` repeatedly for at least `minMs` after a warm-up; returns mean ms per call. */
export function timeIt(work: () => void, minMs = 500, warmup = 3): { msPerCall: number; calls: number } {
  for (let i = 0; i < warmup; i++) work();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    work();
    calls++;
    elapsed = performance.now() - start;
  }
  return { msPerCall: elapsed / calls, calls };
}

export async function timeAsync(work: () => Promise<void>, minMs = 500, warmup = 2): Promise<{ msPerCall: number; calls: number }> {
  for (let i = 0; i < warmup; i++) await work();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    await work();
    calls++;
    elapsed = performance.now() - start;
  }
  return { msPerCall: elapsed / calls, calls };
}

/** CPU time (user + system) of this process spent inside `work`, in ms. */
export function cpuMsOf(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** What every suite gets: quick mode (small sizes, short windows) and a progress log on stderr. */
export type SuiteContext = { quick: boolean; log: (message: string) => void };

/** One suite of `npm run bench`: its figures, and how they are measured (markdown, for BENCHMARKS.md). */
export type Suite = { name: string; title: string; method: string; run(context: SuiteContext): Promise<Figure[]> };

/** CPU time (user + system) of this process since `before`, in ms. */
export function cpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * With BENCH_PROFILE=<dir>, records a V8 CPU profile of `work` alone (not the
 * set-up around it) to <dir>/<name>.cpuprofile, for Chrome DevTools or
 * `node --cpu-prof`-style analysis; without it, just runs `work`.
 */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return work();
  const { Session } = await import("node:inspector/promises");
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
