import { writeFileSync } from "node:fs";
import { crc32, deflateSync, gzipSync } from "node:zlib";
import initSqlJs from "sql.js";

/*
 * Real MBTiles files for tests: real PNG images and real Mapbox Vector Tiles,
 * encoded here byte by byte, in a SQLite file written by sql.js that the
 * `sqlite3` tool opens. Used by the reader's and the host's unit tests and by
 * the map's end-to-end test.
 */

/** A width × height PNG of one colour (8-bit RGBA, no filter). */
export function solidPng(width: number, height: number, rgba: [number, number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 4);
  for (let x = 0; x < width; x++) row.set(rgba, 1 + x * 4);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/* Protocol Buffers, as much as vector tiles need. */
const varint = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, data: number[] | Uint8Array) => [...key(field, 2), ...varint(data.length), ...data];
const stringField = (field: number, text: string) => bytesField(field, new TextEncoder().encode(text));
const uintField = (field: number, value: number) => [...key(field, 0), ...varint(value)];
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

export type MvtFeature = { type: "line" | "polygon"; points: [number, number][]; properties?: Record<string, string> };
export type MvtLayer = { name: string; features: MvtFeature[]; extent?: number };

/** A Mapbox Vector Tile (spec 2.1): lines and polygons in tile coordinates (0..extent, y down), string properties. */
export function encodeMvt(layers: MvtLayer[]): Uint8Array {
  const tile: number[] = [];
  for (const layer of layers) {
    const keys: string[] = [];
    const values: string[] = [];
    const features: number[] = [];
    for (const feature of layer.features) {
      const tags: number[] = [];
      for (const [name, value] of Object.entries(feature.properties ?? {})) {
        if (!keys.includes(name)) keys.push(name);
        if (!values.includes(value)) values.push(value);
        tags.push(keys.indexOf(name), values.indexOf(value));
      }
      const geometry: number[] = [];
      let [cx, cy] = [0, 0];
      feature.points.forEach(([x, y], i) => {
        if (i === 0) geometry.push((1 << 3) | 1);
        if (i === 1) geometry.push(((feature.points.length - 1) << 3) | 2);
        geometry.push(zigzag(x - cx), zigzag(y - cy));
        [cx, cy] = [x, y];
      });
      if (feature.type === "polygon") geometry.push((1 << 3) | 7);
      const packed = (values: number[]) => values.flatMap(varint);
      features.push(...bytesField(2, [...(tags.length ? bytesField(2, packed(tags)) : []), ...uintField(3, feature.type === "polygon" ? 3 : 2), ...bytesField(4, packed(geometry))]));
    }
    const body = [
      ...uintField(15, 2),
      ...stringField(1, layer.name),
      ...features,
      ...keys.flatMap((k) => stringField(3, k)),
      ...values.flatMap((v) => bytesField(4, stringField(1, v))),
      ...uintField(5, layer.extent ?? 4096),
    ];
    tile.push(...bytesField(3, body));
  }
  return Uint8Array.from(tile);
}

export const gzip = (data: Uint8Array): Uint8Array => gzipSync(data);

export type FixtureTile = { z: number; x: number; y: number; data: Uint8Array };

/**
 * Writes an MBTiles file: `metadata` rows as given, `tiles` with each tile's
 * XYZ y turned into the file's TMS row. `withoutTables` leaves tables out, to
 * make broken files.
 */
export async function writeMbtiles(file: string, options: { metadata: Record<string, string>; tiles: FixtureTile[]; withoutTables?: ("tiles" | "metadata")[] }): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    if (!options.withoutTables?.includes("metadata")) {
      db.run("CREATE TABLE metadata (name TEXT, value TEXT)");
      for (const [name, value] of Object.entries(options.metadata)) db.run("INSERT INTO metadata VALUES (?, ?)", [name, value]);
    }
    if (!options.withoutTables?.includes("tiles")) {
      db.run("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
      db.run("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
      for (const tile of options.tiles) db.run("INSERT INTO tiles VALUES (?, ?, ?, ?)", [tile.z, tile.x, (1 << tile.z) - 1 - tile.y, tile.data]);
    }
    writeFileSync(file, db.export());
  } finally {
    db.close();
  }
}

/** XYZ tile holding a lon/lat at zoom z (Web Mercator). */
export function tileAt(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y };
}
