import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BridgeHandlers } from "../../shared/bridge/contract.js";
import { openMbtiles, type MbtilesReader } from "../engine/mbtiles.js";
import { encodeMvt, gzip, solidPng, writeMbtiles } from "../engine/testing/mbtiles-fixtures.js";
import { startWebHost, type WebHost } from "./server.js";
import { tileRoute } from "./tiles.js";

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** `cookie`: the host's access cookie (./access.ts), as the console's own browser sends it; "" for a caller without it. */
function get(host: WebHost, urlPath: string, method = "GET", cookie = host.cookie): Promise<Reply> {
  const { port } = host;
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: urlPath, method, headers: { host: `127.0.0.1:${port}`, ...(cookie ? { cookie } : {}) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

const GREEN = solidPng(256, 256, [0, 200, 80, 255]);
const noBridge = { handlers: {} as BridgeHandlers, on: () => () => undefined };

describe("base map tiles on the web host", () => {
  let dir: string;
  let reader: MbtilesReader;
  let host: WebHost;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tiles-host-"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><html><head></head><body></body></html>");
    const file = path.join(dir, "map.mbtiles");
    await writeMbtiles(file, { metadata: { format: "png", minzoom: "10", maxzoom: "12" }, tiles: [{ z: 11, x: 1686, y: 775, data: GREEN }] });
    reader = await openMbtiles(file);
    host = await startWebHost({ port: 0, rendererDir: dir, bridge: noBridge, log: () => undefined, tiles: reader });
  });
  afterAll(async () => {
    await host.close();
    reader.close();
  });

  it("serves a tile to a page holding the access cookie, as the same-origin image it is", async () => {
    const reply = await get(host, `/tiles/11/1686/775?v=${reader.info.version}`);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("image/png");
    expect(reply.headers["cache-control"]).toMatch(/^private, max-age=\d+$/);
    expect(reply.headers["content-security-policy"]).toContain("img-src 'self' data: blob:");
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.body.equals(GREEN)).toBe(true);
    const head = await get(host, "/tiles/11/1686/775", "HEAD");
    expect([head.status, head.body.length, head.headers["content-length"]]).toEqual([200, 0, String(GREEN.length)]);
  });

  it("answers 204 for a tile the file lacks and 404 outside its zoom range or the world", async () => {
    const missing = await get(host, "/tiles/11/1686/776");
    expect([missing.status, missing.body.length]).toEqual([204, 0]);
    expect((await get(host, "/tiles/9/421/193")).status).toBe(404);
    expect((await get(host, "/tiles/11/5000/775")).status).toBe(404);
  });

  it("serves nothing under /tiles/ without the access cookie, whatever the path carries", async () => {
    for (const urlPath of ["/tiles/11/1686/775", `/tiles/${host.secret}/11/1686/775`]) {
      const refused = await get(host, urlPath, "GET", "");
      expect([urlPath, refused.status]).toEqual([urlPath, 403]);
      expect(refused.body.includes(GREEN.subarray(0, 64))).toBe(false);
    }
  });

  it("refuses with a 404 any other path under /tiles/, a secret in it included: no secret rides in a tile URL", async () => {
    for (const urlPath of [`/tiles/${host.secret}/11/1686/775`, "/tiles/11/1686", "/tiles/11/1686/775.png", "/tiles/a/b/c", "/tiles/"]) {
      const reply = await get(host, urlPath);
      expect([urlPath, reply.status]).toEqual([urlPath, 404]);
      expect(reply.body.includes(GREEN.subarray(0, 64))).toBe(false);
    }
    // The static files are still served beside the route.
    expect((await get(host, "/")).status).toBe(200);
  });

  it("serves nothing under /tiles/ when no base map file is configured", async () => {
    const bare = await startWebHost({ port: 0, rendererDir: dir, bridge: noBridge, log: () => undefined });
    try {
      expect((await get(bare, "/tiles/11/1686/775")).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe("tile route for the Electron shell (no secret in app:// URLs)", () => {
  it("maps /tiles/z/x/y to the reader and leaves other paths to the static files", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tiles-shell-"));
    const file = path.join(dir, "vector.mbtiles");
    const mvt = encodeMvt([{ name: "water", features: [{ type: "polygon", points: [[0, 0], [4096, 0], [4096, 4096], [0, 4096]] }] }]);
    await writeMbtiles(file, { metadata: { format: "pbf", minzoom: "0", maxzoom: "14" }, tiles: [{ z: 14, x: 13492, y: 6208, data: gzip(mvt) }] });
    const reader = await openMbtiles(file);
    try {
      const reply = tileRoute(reader, "/tiles/14/13492/6208");
      expect(reply?.status).toBe(200);
      expect(reply?.headers["Content-Type"]).toBe("application/x-protobuf");
      expect(Buffer.from(reply?.body ?? []).equals(Buffer.from(mvt))).toBe(true);
      expect(tileRoute(reader, "/index.html")).toBeNull();
      expect(tileRoute(reader, "/tiles/secret/14/13492/6208")?.status).toBe(404);
    } finally {
      reader.close();
    }
  });
});
