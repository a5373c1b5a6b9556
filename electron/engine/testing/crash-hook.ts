/**
 * The file that, dropped into the data directory of an engine running
 * ./crashing-engine-worker.ts, makes its thread crash (and is taken away):
 * a crash from outside the process, for the supervisor's tests and
 * e2e/engine-restart.test.ts.
 */
export const CRASH_FILE = "crash-engine.test-hook";
