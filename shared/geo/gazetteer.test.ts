import { describe, expect, it } from "vitest";
import { areaLabel, areaNames, buildGazetteer, gridLabel, gridTitle, nameGrid, searchGazetteer, type PastAddress } from "./gazetteer.js";
import type { RegionArea } from "./region.js";

const area = (level: RegionArea["level"], code: string, name: string, parentCode?: string, labelAt: [number, number] = [116.4, 39.9]): RegionArea => ({
  level,
  code,
  name,
  ...(parentCode === undefined ? {} : { parentCode }),
  polygons: [],
  bbox: [labelAt[0], labelAt[1], labelAt[0], labelAt[1]],
  labelAt,
});

const layer = {
  streets: [area("street", "110101007", "天坛街道", "110101"), area("street", "110101008", "110101008")],
  communities: [area("community", "110101007003", "永铁苑社区居委会", "110101007"), area("community", "110101008001", "110101008001", "110101008")],
  grids: [
    area("grid", "110101007003001", "永铁苑第1网格", "110101007003", [116.41, 39.87]),
    area("grid", "110101007003002", "永铁苑第2网格", "110101007003"),
    // No parent link: the code's prefix still finds the community and the street.
    area("grid", "110101007003003", "永铁苑第3网格"),
    // A level the layer left out is named by its code: no name to show.
    area("grid", "110101008001001", "幸福第1网格", "110101008001"),
  ],
};
const names = areaNames(layer);

describe("grid names for people", () => {
  it("names a grid with its community and street, the community without 居委会", () => {
    const name = nameGrid(names, "110101007003001");
    expect(name).toEqual({ code: "110101007003001", grid: "永铁苑第1网格", community: "永铁苑社区", street: "天坛街道" });
    expect(gridLabel(name, "full", "未知网格")).toBe("永铁苑第1网格 · 永铁苑社区 · 天坛街道");
    expect(gridLabel(name, "short", "未知网格")).toBe("永铁苑第1网格");
    expect(gridTitle(name, "未知网格")).toBe("永铁苑第1网格 · 永铁苑社区 · 天坛街道\n110101007003001");
  });

  it("finds the community and street by the code's prefix where the grid has no parent link", () => {
    expect(gridLabel(nameGrid(names, "110101007003003"), "full", "?")).toBe("永铁苑第3网格 · 永铁苑社区 · 天坛街道");
  });

  it("leaves out a community or street the layer names only by its code", () => {
    expect(gridLabel(nameGrid(names, "110101008001001"), "full", "?")).toBe("幸福第1网格");
  });

  it("reads a code the layer lacks, or no code, as unknown, with the code kept for the tooltip", () => {
    const missing = nameGrid(names, "110101999999999");
    expect(gridLabel(missing, "full", "未知网格")).toBe("未知网格");
    expect(gridLabel(missing, "short", "未知网格")).toBe("未知网格");
    expect(gridTitle(missing, "未知网格")).toBe("未知网格\n110101999999999");
    expect(gridTitle(nameGrid(names, ""), "未知网格")).toBe("未知网格");
    // A street's code is no grid.
    expect(nameGrid(names, "110101007").grid).toBeNull();
  });

  it("names any area for a filter chip, null where the layer lacks it", () => {
    expect(areaLabel(names, "110101007")).toBe("天坛街道");
    expect(areaLabel(names, "110101007003")).toBe("永铁苑社区 · 天坛街道");
    expect(areaLabel(names, "110101007003002")).toBe("永铁苑第2网格 · 永铁苑社区 · 天坛街道");
    expect(areaLabel(names, "110101008")).toBeNull();
  });
});

describe("gazetteer search", () => {
  const past = (address: string, at: number, lon = 116.42, lat = 39.88): PastAddress => ({ address, lon, lat, at });
  const gazetteer = buildGazetteer(names, [
    past("永定门外大街12号", 1_000),
    past("天坛东里北区3号楼", 3_000, 116.43, 39.87),
    past(" 天坛东里北区3号楼 ", 2_000, 116.1, 39.1),
    past("西草市永铁苑小区东门", 4_000),
    past("", 5_000),
  ]);

  it("puts names that start with the query before names that contain it, areas before addresses", () => {
    const found = searchGazetteer(gazetteer, "永");
    expect(found.map((p) => [p.kind, p.name])).toEqual([
      ["community", "永铁苑社区"],
      ["grid", "永铁苑第1网格"],
      ["grid", "永铁苑第2网格"],
      ["grid", "永铁苑第3网格"],
      ["address", "永定门外大街12号"],
      ["address", "西草市永铁苑小区东门"],
    ]);
  });

  it("places an area at its label point, with its parents as context", () => {
    const [grid] = searchGazetteer(gazetteer, "永铁苑第1");
    expect(grid).toEqual({ kind: "grid", name: "永铁苑第1网格", context: "永铁苑社区 · 天坛街道", lon: 116.41, lat: 39.87 });
    expect(searchGazetteer(gazetteer, "永铁苑社区居委会")[0]).toMatchObject({ kind: "community", name: "永铁苑社区", context: "天坛街道" });
  });

  it("keeps one entry per past address, at its most recent case, most recent first", () => {
    const found = searchGazetteer(gazetteer, "天坛");
    expect(found.map((p) => p.name)).toEqual(["天坛街道", "天坛东里北区3号楼"]);
    expect(found[1]).toMatchObject({ kind: "address", lon: 116.43, lat: 39.87 });
    const addresses = searchGazetteer(gazetteer, "号").map((p) => p.name);
    expect(addresses).toEqual(["天坛东里北区3号楼", "永定门外大街12号"]);
  });

  it("ignores spaces, width and case in the query; an empty query finds nothing", () => {
    expect(searchGazetteer(gazetteer, " 天坛 东里 ").map((p) => p.name)).toEqual(["天坛东里北区3号楼"]);
    expect(searchGazetteer(gazetteer, "１２号").map((p) => p.name)).toEqual(["永定门外大街12号"]);
    expect(searchGazetteer(gazetteer, "   ")).toEqual([]);
    expect(searchGazetteer(gazetteer, "没有这个地方")).toEqual([]);
  });

  it("answers at most the limit", () => {
    expect(searchGazetteer(gazetteer, "永", 3)).toHaveLength(3);
    expect(searchGazetteer(gazetteer, "永", 0)).toEqual([]);
  });

  it("answers a keystroke over 30,000 grids and 100,000 past addresses in well under 20 ms", () => {
    const streets = Array.from({ length: 100 }, (_, s) => area("street", `110${String(s).padStart(6, "0")}`, `第${s}街道`));
    const communities = Array.from({ length: 2_000 }, (_, c) => area("community", `${streets[c % 100]?.code}${String(c).padStart(3, "0")}`, `社区${c}社区居委会`, streets[c % 100]?.code));
    const grids = Array.from({ length: 30_000 }, (_, g) => area("grid", `${communities[g % 2_000]?.code}${String(g % 1000).padStart(3, "0")}`, `社区${g % 2_000}第${g}网格`, communities[g % 2_000]?.code));
    const addresses = Array.from({ length: 100_000 }, (_, a) => past(`东城区第${a % 5_000}路${a}号院`, a));
    const big = buildGazetteer(areaNames({ streets, communities, grids }), addresses);
    const queries = ["社", "社区1", "第", "号院", "路4999", "没有", "第99街", "12345号"];
    searchGazetteer(big, "warm up");
    const began = performance.now();
    for (const query of queries) for (let prefix = 1; prefix <= query.length; prefix++) searchGazetteer(big, query.slice(0, prefix));
    const perKeystroke = (performance.now() - began) / queries.reduce((n, q) => n + q.length, 0);
    // Loose on purpose (shared CI cores): measured about 2 ms on one core.
    expect(perKeystroke).toBeLessThan(20);
    expect(searchGazetteer(big, "号院")).toHaveLength(10);
  });
});
