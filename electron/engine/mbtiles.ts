import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import initSqlJs from "sql.js";
import type { Database, Statement } from "sql.js";
import type { LocalTiles, LocalTilesFormat, LocalTilesProblem } from "../../shared/bridge/contract.js";

/*
 * An offline base map from a local MBTiles file (MBTiles 1.3: a SQLite file
 * with `metadata(name, value)` and `tiles(zoom_level, tile_column, tile_row,
 * tile_data)`, rows in TMS order, so y counts from the south). Read with
 * sql.js, which holds the whole file in memory (a copy in its in-memory file
 * system for as long as the console runs, twice that while loading): files
 * above MAX_MBTILES_BYTES are refused with a clear reason rather than
 * swelling the wall machine's memory. The file is read once and never written.
 *
 * Whatever is wrong with the file is a `MbtilesError` with a problem code the
 * page turns into a notice in its own language: a broken base map leaves the
 * console running without one.
 */

export const MAX_MBTILES_BYTES = 512 * 1024 * 1024;

const FORMATS: Record<string, LocalTilesFormat> = { png: "png", jpg: "jpg", jpeg: "jpg", webp: "webp", pbf: "pbf" };

export const TILE_CONTENT_TYPES: Record<LocalTilesFormat, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  pbf: "application/x-protobuf",
};

/** The deepest zoom a Web Mercator tile pyramid is taken to have. */
const MAX_ZOOM_LEVEL = 24;

export class MbtilesError extends Error {
  override readonly name = "MbtilesError";
  constructor(
    readonly problem: LocalTilesProblem,
    message: string,
    /** A short value the notice may show (a format, a zoom range, a size). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export type MbtilesReader = {
  readonly file: string;
  /** What the page needs to draw the tiles (no URL: each shell serves them its own way). */
  readonly info: Omit<Extract<LocalTiles, { ok: true }>, "ok">;
  /** The tile at z/x/y counted from the north-west (XYZ, as the map asks); undefined when the file has none. */
  tile(z: number, x: number, y: number): Uint8Array | undefined;
  close(): void;
};

export type OpenOptions = { maxBytes?: number };

let sqlJs: ReturnType<typeof initSqlJs> | null = null;

export async function openMbtiles(file: string, options: OpenOptions = {}): Promise<MbtilesReader> {
  const maxBytes = options.maxBytes ?? MAX_MBTILES_BYTES;
  let size: number;
  let modified: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new MbtilesError("unreadable", `${file} is not a file`);
    size = stat.size;
    modified = stat.mtimeMs;
  } catch (error) {
    if (error instanceof MbtilesError) throw error;
    throw new MbtilesError("unreadable", `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size > maxBytes) {
    throw new MbtilesError("too-large", `${file} is ${mib(size)} MiB; MBTiles files up to ${mib(maxBytes)} MiB can be used (sql.js holds the whole file in memory)`, `${mib(size)} MiB > ${mib(maxBytes)} MiB`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new MbtilesError("unreadable", `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (bytes.subarray(0, 16).toString("latin1") !== "SQLite format 3\0") throw new MbtilesError("not-sqlite", `${file} is not a SQLite file`);

  const SQL = await (sqlJs ??= initSqlJs());
  const db: Database = new SQL.Database(bytes);
  try {
    return readerFor(file, db, `${size.toString(36)}-${Math.round(modified).toString(36)}`);
  } catch (error) {
    db.close();
    if (error instanceof MbtilesError) throw error;
    throw new MbtilesError("not-sqlite", `${file} cannot be read as SQLite: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readerFor(file: string, db: Database, version: string): MbtilesReader {
  db.exec("PRAGMA query_only = 1");
  const objects = new Set(db.exec("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")[0]?.values.map((row) => String(row[0])) ?? []);
  if (!objects.has("tiles")) throw new MbtilesError("no-tiles-table", `${file} has no tiles table: not an MBTiles file`);
  if (!objects.has("metadata")) throw new MbtilesError("no-metadata", `${file} has no metadata table: not an MBTiles file`);
  const metadata = new Map<string, string>();
  for (const row of db.exec("SELECT name, value FROM metadata")[0]?.values ?? []) metadata.set(String(row[0]), String(row[1]));

  const rawFormat = (metadata.get("format") ?? "").trim().toLowerCase();
  const format = FORMATS[rawFormat];
  if (!format) throw new MbtilesError("bad-format", `${file}: metadata format ${JSON.stringify(rawFormat)} is not one of png, jpg, webp or pbf`, rawFormat || "—");

  const stored = db.exec("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles")[0]?.values[0] ?? [];
  const minZoom = zoomOf(metadata.get("minzoom") ?? stored[0]);
  const maxZoom = zoomOf(metadata.get("maxzoom") ?? stored[1]);
  if (minZoom === null || maxZoom === null || minZoom > maxZoom) {
    const range = `${metadata.get("minzoom") ?? String(stored[0] ?? "—")}–${metadata.get("maxzoom") ?? String(stored[1] ?? "—")}`;
    throw new MbtilesError("bad-zoom", `${file}: zoom range ${range} is not two whole levels 0-${MAX_ZOOM_LEVEL}, the first no deeper than the second (an empty tiles table has none)`, range);
  }

  const bounds = boundsOf(metadata.get("bounds"));
  const attribution = plainText(metadata.get("attribution"));
  const name = plainText(metadata.get("name"));
  let select: Statement | null = db.prepare("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
  return {
    file,
    info: {
      format,
      minZoom,
      maxZoom,
      version,
      ...(bounds ? { bounds } : {}),
      ...(attribution ? { attribution } : {}),
      ...(name ? { name } : {}),
    },
    tile(z, x, y) {
      if (!select) throw new Error("MBTiles reader closed");
      const row = select.get([z, x, (1 << z) - 1 - y]);
      select.reset();
      const data = row[0];
      if (!(data instanceof Uint8Array) || data.length === 0) return undefined;
      return format === "pbf" ? decompressed(data) : data;
    },
    close() {
      select?.free();
      select = null;
      db.close();
    },
  };
}

/**
 * A vector tile is some hundreds of KB at most: one that inflates past this
 * is a decompression bomb (a few KB of zeros can claim gigabytes), refused
 * before it is allocated.
 */
export const MAX_TILE_BYTES = 8 * 1024 * 1024;

/** Vector tiles are usually stored gzip-compressed (some writers use zlib); the page gets them plain. Throws for a tile past MAX_TILE_BYTES. */
export function decompressed(data: Uint8Array): Uint8Array {
  const options = { maxOutputLength: MAX_TILE_BYTES };
  if (data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data, options);
  if (data[0] === 0x78 && (((data[0] << 8) | (data[1] ?? 0)) % 31 === 0)) return inflateSync(data, options);
  return data;
}

function zoomOf(value: unknown): number | null {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,2}$/.test(text)) return null;
  const zoom = Number(text);
  return zoom <= MAX_ZOOM_LEVEL ? zoom : null;
}

/** "west,south,east,north" in WGS84; anything else is ignored (bounds are optional). */
function boundsOf(value: string | undefined): [number, number, number, number] | undefined {
  const parts = (value ?? "").split(",").map((part) => Number(part.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return undefined;
  const [west, south, east, north] = parts as [number, number, number, number];
  if (west < -180 || east > 180 || south < -90 || north > 90 || west >= east || south >= north) return undefined;
  return [west, south, east, north];
}

/** Metadata shown on screen: text only (attributions are often HTML links), one line, bounded. */
function plainText(value: string | undefined): string | undefined {
  const text = (value ?? "").replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim().slice(0, 200);
  return text || undefined;
}

const mib = (bytes: number) => Math.ceil(bytes / (1024 * 1024));

export type TileReply = { status: 200 | 204 | 404; body: Uint8Array; headers: Record<string, string> };

/**
 * The HTTP answer for z/x/y (XYZ): 200 with the tile, 204 for a tile inside
 * the pyramid that the file does not hold (the sea, an area not rendered),
 * 404 for coordinates outside its zoom range or outside the world.
 */
export function tileReply(reader: MbtilesReader, z: number, x: number, y: number): TileReply {
  const { minZoom, maxZoom, format } = reader.info;
  const inWorld = Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && x >= 0 && y >= 0 && z <= MAX_ZOOM_LEVEL && x < 2 ** z && y < 2 ** z;
  if (!inWorld || z < minZoom || z > maxZoom) {
    return { status: 404, body: Buffer.from("no such tile\n"), headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } };
  }
  const data = reader.tile(z, x, y);
  // The URL carries the file's version, so a tile may be kept as long as the page lives.
  const cache = "private, max-age=86400";
  if (!data) return { status: 204, body: new Uint8Array(0), headers: { "Cache-Control": cache } };
  return { status: 200, body: data, headers: { "Content-Type": TILE_CONTENT_TYPES[format], "Cache-Control": cache } };
}

/** For logs and notices: the file's name without the deployment's folder layout. */
export const fileLabel = (file: string): string => path.basename(file);
