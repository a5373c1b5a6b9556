import { join } from "node:path";
import type { StorageProblem } from "../../shared/bridge/contract.js";
import { writeFileAtomic } from "./atomic-file.js";
import { CACHE_FILE } from "./cache-recovery.js";
import type { CacheDatabase } from "./cache-sql.js";
import { JOURNAL_HEADROOM_BYTES, storageProblem, type CacheWriter } from "./cache-writes.js";
import { disk, noSpace } from "./disk.js";
import type { Journal } from "./journal.js";
import type { CacheOp, StoredFix, Visit } from "./model.js";

/*
 * Compaction: the database exported whole to cache.sqlite (atomic rename), then the journal records it
 * now holds dropped, by compaction generation (README, "Compaction generations"). Positions and visits,
 * never journaled, reach the database here.
 */

export class Compactor {
  private compacting: Promise<void> | null = null;
  /** Why the last compaction failed, until one succeeds. */
  private problem: StorageProblem | null = null;

  constructor(
    private readonly database: CacheDatabase,
    private readonly journal: Journal<CacheOp>,
    private readonly writer: CacheWriter,
    private readonly dataDir: string,
  ) {}

  get compactionProblem(): StorageProblem | null {
    return this.problem;
  }

  /**
   * Writes the whole database to cache.sqlite atomically, then drops the
   * journal records it now holds. Positions and visits are not journaled (too
   * frequent; losing the last seconds of them is harmless) and are written here.
   */
  compact(positions: readonly (StoredFix & { slot: number })[] = [], visits: readonly Visit[] = []): Promise<void> {
    if (this.compacting) return this.compacting.then(() => this.compact(positions, visits));
    if (this.writer.closed) return Promise.resolve();
    try {
      this.writer.settle();
    } catch (error) {
      // A journal the disk refuses (full, I/O error) fails this compaction as a rejection, as a failed
      // file write does: the caller's catch keeps its positions and visits; a throw would escape it.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Everything journaled so far is older than the new generation; everything appended from here on is not.
    const generationStart = this.journal.bytes;
    this.writer.generation += 1;
    const generation = this.writer.generation;
    this.database.apply([], () => {
      for (const f of positions) this.database.run("upsertPosition", [f.unitId, f.slot, f.lon, f.lat, f.at, f.heading, f.speed, f.accuracy]);
      for (const v of visits) this.database.run("insertVisit", [v.day, v.gridCode, v.unitId, v.hour]);
      this.database.run("setMeta", ["journal_generation", String(generation)]);
    });
    const bytes = this.database.exportBytes();
    // A file that would not fit is not started: its partial temp file would take the space the journal needs.
    const free = disk().freeBytes(this.dataDir);
    const write =
      free < bytes.length + JOURNAL_HEADROOM_BYTES
        ? Promise.reject(noSpace(`${CACHE_FILE} needs ${bytes.length} bytes and ${JOURNAL_HEADROOM_BYTES} to spare, ${free} free`))
        : writeFileAtomic(join(this.dataDir, CACHE_FILE), bytes);
    this.compacting = write
      .then(() => {
        if (!this.writer.closed) this.journal.dropBefore(generation, generationStart);
      })
      .then(
        () => {
          this.problem = null;
        },
        (error: unknown) => {
          // The journal still holds every change: the next compaction tries again.
          this.problem = storageProblem(error, this.dataDir, this.problem);
          throw error;
        },
      )
      .finally(() => {
        this.compacting = null;
      });
    return this.compacting;
  }
}
