import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MVTLoader } from "@loaders.gl/mvt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decompressed, MAX_TILE_BYTES, MbtilesError, openMbtiles, tileReply, type MbtilesReader } from "./mbtiles.js";
import { encodeMvt, gzip, solidPng, writeMbtiles } from "./testing/mbtiles-fixtures.js";

let dir: string;
const open: MbtilesReader[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mbtiles-"));
});
afterEach(() => {
  for (const reader of open.splice(0)) reader.close();
});

async function opened(file: string): Promise<MbtilesReader> {
  const reader = await openMbtiles(file);
  open.push(reader);
  return reader;
}

async function problemOf(file: string, options?: { maxBytes?: number }): Promise<MbtilesError> {
  const error = await openMbtiles(file, options).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof MbtilesError)) throw new Error(`expected an MbtilesError, got ${String(error)}`);
  return error;
}

const RED = solidPng(256, 256, [255, 0, 0, 255]);
const BLUE = solidPng(256, 256, [0, 0, 255, 255]);

describe("MBTiles reader", () => {
  it("reads a raster file's metadata and serves its PNG tiles by XYZ coordinates, flipping the file's TMS rows", async () => {
    const file = path.join(dir, "raster.mbtiles");
    // At z1 the north-west tile (x0, y0) is TMS row 1; the south-west one (x0, y1) is row 0.
    await writeMbtiles(file, {
      metadata: { name: "东城 底图", format: "png", minzoom: "0", maxzoom: "1", bounds: "116.38,39.86,116.45,39.97", attribution: '<a href="x">© OpenStreetMap</a> contributors' },
      tiles: [
        { z: 1, x: 0, y: 0, data: RED },
        { z: 1, x: 0, y: 1, data: BLUE },
      ],
    });
    // The file is a SQLite file other tools read, with the rows where the spec puts them.
    expect(execFileSync("sqlite3", [file, "SELECT tile_row FROM tiles WHERE tile_data = (SELECT tile_data FROM tiles ORDER BY tile_row DESC LIMIT 1) "], { encoding: "utf8" }).trim()).toBe("1");

    const reader = await opened(file);
    expect(reader.info).toMatchObject({ format: "png", minZoom: 0, maxZoom: 1, name: "东城 底图", attribution: "© OpenStreetMap contributors", bounds: [116.38, 39.86, 116.45, 39.97] });
    expect(reader.info.version).toMatch(/^[0-9a-z]+-[0-9a-z]+$/);
    expect(Buffer.from(reader.tile(1, 0, 0) ?? [])).toEqual(RED);
    expect(Buffer.from(reader.tile(1, 0, 1) ?? [])).toEqual(BLUE);
    expect(reader.tile(1, 1, 0)).toBeUndefined();

    const reply = tileReply(reader, 1, 0, 0);
    expect(reply.status).toBe(200);
    expect(reply.headers["Content-Type"]).toBe("image/png");
    expect(reply.headers["Cache-Control"]).toMatch(/max-age=\d+/);
    expect(Buffer.from(reply.body)).toEqual(RED);
  });

  it("answers 204 for a tile the pyramid could hold but the file lacks, 404 outside its zoom range or the world", async () => {
    const file = path.join(dir, "sparse.mbtiles");
    await writeMbtiles(file, { metadata: { format: "jpg", minzoom: "1", maxzoom: "2" }, tiles: [{ z: 1, x: 1, y: 1, data: RED }] });
    const reader = await opened(file);
    expect(reader.info.format).toBe("jpg");
    expect(tileReply(reader, 1, 1, 1).headers["Content-Type"]).toBe("image/jpeg");
    expect(tileReply(reader, 2, 3, 3)).toMatchObject({ status: 204, body: new Uint8Array(0) });
    expect(tileReply(reader, 0, 0, 0).status).toBe(404);
    expect(tileReply(reader, 3, 0, 0).status).toBe(404);
    expect(tileReply(reader, 1, 2, 0).status).toBe(404);
    expect(tileReply(reader, 1, 0, 2).status).toBe(404);
  });

  it("refuses a gzipped tile that would inflate past its cap (a decompression bomb) before allocating it", () => {
    const bomb = gzip(new Uint8Array(MAX_TILE_BYTES + 1));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => decompressed(bomb)).toThrow(RangeError);
    expect(decompressed(gzip(new Uint8Array(1024))).length).toBe(1024);
  });

  it("takes the zoom range from the tiles when the metadata leaves it out", async () => {
    const file = path.join(dir, "nozoom.mbtiles");
    await writeMbtiles(file, { metadata: { format: "webp" }, tiles: [{ z: 3, x: 1, y: 1, data: RED }, { z: 5, x: 1, y: 1, data: RED }] });
    expect((await opened(file)).info).toMatchObject({ format: "webp", minZoom: 3, maxZoom: 5 });
  });

  it("serves vector tiles uncompressed as protobuf, whether the file stores them gzipped or plain", async () => {
    const mvt = encodeMvt([
      { name: "water", features: [{ type: "polygon", points: [[0, 0], [4096, 0], [4096, 4096], [0, 4096]], properties: { class: "lake" } }] },
      { name: "transportation", features: [{ type: "line", points: [[0, 2048], [4096, 2048]], properties: { class: "primary" } }] },
    ]);
    const file = path.join(dir, "vector.mbtiles");
    await writeMbtiles(file, { metadata: { format: "pbf", minzoom: "0", maxzoom: "14", json: "{}" }, tiles: [{ z: 14, x: 13492, y: 6208, data: gzip(mvt) }, { z: 14, x: 13493, y: 6208, data: mvt }] });
    const reader = await opened(file);
    expect(reader.info.format).toBe("pbf");
    for (const x of [13492, 13493]) {
      const reply = tileReply(reader, 14, x, 6208);
      expect(reply.status).toBe(200);
      expect(reply.headers["Content-Type"]).toBe("application/x-protobuf");
      expect(Buffer.from(reply.body)).toEqual(Buffer.from(mvt));
      // A real vector tile: loaders.gl's own parser reads both layers back.
      const body = reply.body.buffer.slice(reply.body.byteOffset, reply.body.byteOffset + reply.body.byteLength) as ArrayBuffer;
      const features = MVTLoader.parseSync?.(body, { mvt: { shape: "geojson-table", coordinates: "local", layerProperty: "layerName" } }) as unknown as { features: { properties: Record<string, string>; geometry: { type: string } }[] };
      expect(features.features.map((f) => [f.properties.layerName, f.properties.class, f.geometry.type])).toEqual([
        ["water", "lake", "Polygon"],
        ["transportation", "primary", "LineString"],
      ]);
    }
  });

  describe("refuses a broken file with a reason the page can show", () => {
    it("not a SQLite file", async () => {
      const file = path.join(dir, "text.mbtiles");
      writeFileSync(file, "this is not a database\n".repeat(100));
      expect((await problemOf(file)).problem).toBe("not-sqlite");
    });

    it("a SQLite file without a tiles table", async () => {
      const file = path.join(dir, "notiles.mbtiles");
      await writeMbtiles(file, { metadata: { format: "png" }, tiles: [], withoutTables: ["tiles"] });
      const error = await problemOf(file);
      expect(error.problem).toBe("no-tiles-table");
      expect(error.message).toContain("notiles.mbtiles");
    });

    it("no metadata table", async () => {
      const file = path.join(dir, "nometa.mbtiles");
      await writeMbtiles(file, { metadata: {}, tiles: [{ z: 0, x: 0, y: 0, data: RED }], withoutTables: ["metadata"] });
      expect((await problemOf(file)).problem).toBe("no-metadata");
    });

    it("an unknown format, named in the detail", async () => {
      const file = path.join(dir, "svg.mbtiles");
      await writeMbtiles(file, { metadata: { format: "svg", minzoom: "0", maxzoom: "1" }, tiles: [{ z: 0, x: 0, y: 0, data: RED }] });
      expect(await problemOf(file)).toMatchObject({ problem: "bad-format", detail: "svg" });
    });

    it.each([
      ["min above max", { minzoom: "9", maxzoom: "3" }],
      ["not a number", { minzoom: "low", maxzoom: "3" }],
      ["beyond 24", { minzoom: "0", maxzoom: "30" }],
    ])("a bad zoom range (%s)", async (_name, zooms) => {
      const file = path.join(dir, "zoom.mbtiles");
      await writeMbtiles(file, { metadata: { format: "png", ...zooms }, tiles: [{ z: 0, x: 0, y: 0, data: RED }] });
      expect((await problemOf(file)).problem).toBe("bad-zoom");
    });

    it("no zoom range at all: no metadata for it and no tiles", async () => {
      const file = path.join(dir, "empty.mbtiles");
      await writeMbtiles(file, { metadata: { format: "png" }, tiles: [] });
      expect((await problemOf(file)).problem).toBe("bad-zoom");
    });

    it("a missing file, and a file above the size limit (sql.js holds it all in memory)", async () => {
      expect((await problemOf(path.join(dir, "absent.mbtiles"))).problem).toBe("unreadable");
      const file = path.join(dir, "big.mbtiles");
      await writeMbtiles(file, { metadata: { format: "png", minzoom: "0", maxzoom: "0" }, tiles: [{ z: 0, x: 0, y: 0, data: RED }] });
      expect((await problemOf(file, { maxBytes: 1024 })).problem).toBe("too-large");
    });
  });
});
