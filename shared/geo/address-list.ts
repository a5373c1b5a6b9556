import { gcj02, gcj02ToWgs84 } from "./coords.js";

/*
 * The deployment's own address list (config `addressesCsv`) for the phone-in
 * search: places the grid layer does not name (a school, a compound's gate, a
 * market) with where they are. Pure: the caller reads the file.
 *
 * UTF-8, with or without a BOM; a header row naming the columns, in any order:
 * `name` (or `address`; both may be given), `lon`, `lat`, and optionally
 * `alias` (other names, separated by | or 、) and `crs` (`wgs84`, the default,
 * or `gcj02` for points taken from AMap or Tencent: converted here to the grid
 * layer's WGS84). Fields may be quoted ("…, …", "" for a quote). A bad row is
 * skipped and said with its line number; a bad header or an oversize file
 * loads nothing.
 */

export type DeploymentAddress = {
  /** What the operator reads and searches. */
  name: string;
  /** The street address, when the row gives one besides the name. */
  address?: string;
  aliases: string[];
  /** WGS84, the grid layer's space. */
  lon: number;
  lat: number;
};

export type SkippedRow = { line: number; reason: string };
export type AddressList = { entries: DeploymentAddress[]; skipped: SkippedRow[] };

/** The largest file read: a street's or a district's list is a few hundred KB. */
export const ADDRESS_FILE_MAX_BYTES = 8 * 1024 * 1024;
export const ADDRESS_MAX_ROWS = 100_000;
const NAME_MAX = 200;
const ALIAS_MAX = 20;
/** Mainland China and a margin: a swapped lon/lat or a projected x/y falls outside. */
const CHINA = { lon: [73, 136], lat: [3, 54] } as const;
const COLUMNS = ["name", "address", "lon", "lat", "alias", "crs"] as const;

export class AddressListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressListError";
  }
}

/** The file's records as cells, each with the line it starts on (a quoted field may span lines). */
function records(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let touched = false;
  const endRecord = () => {
    cells.push(cell);
    if (touched || cells.length > 1 || cell.trim() !== "") out.push({ line: startLine, cells });
    cells = [];
    cell = "";
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell.trim() === "") {
      quoted = true;
      touched = true;
      cell = "";
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
      touched = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += c;
  }
  if (quoted) throw new AddressListError(`line ${startLine}: a quoted field is never closed`);
  endRecord();
  return out;
}

/** Reads the list; throws AddressListError for a header it cannot use. `maxRows` past the header are read, the rest skipped and said. */
export function parseAddressList(text: string, maxRows = ADDRESS_MAX_ROWS): AddressList {
  const rows = records(text.replace(/^\uFEFF/, ""));
  const header = rows.shift();
  if (!header) throw new AddressListError("the file is empty: a header row (name,lon,lat[,alias][,crs]) is expected");
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const column = new Map<string, number>();
  for (const [index, name] of names.entries()) {
    if (!(COLUMNS as readonly string[]).includes(name)) throw new AddressListError(`line ${header.line}: unknown column "${name.slice(0, 40)}"; the columns are ${COLUMNS.join(", ")}`);
    if (column.has(name)) throw new AddressListError(`line ${header.line}: column "${name}" twice`);
    column.set(name, index);
  }
  if (!column.has("lon") || !column.has("lat") || !(column.has("name") || column.has("address"))) {
    throw new AddressListError(`line ${header.line}: the header must name name (or address), lon and lat; it has ${names.join(",")}`);
  }
  const entries: DeploymentAddress[] = [];
  const skipped: SkippedRow[] = [];
  for (const { line, cells } of rows) {
    if (entries.length >= maxRows) {
      skipped.push({ line, reason: `past ${maxRows} rows` });
      continue;
    }
    const cell = (name: (typeof COLUMNS)[number]): string => {
      const index = column.get(name);
      return index === undefined ? "" : (cells[index] ?? "").trim();
    };
    const reason = rowProblem(cells.length, names.length, cell);
    if (reason) {
      skipped.push({ line, reason });
      continue;
    }
    const given = [Number(cell("lon")), Number(cell("lat"))] as const;
    const [lon, lat] = cell("crs").toLowerCase() === "gcj02" ? gcj02ToWgs84(gcj02(given[0], given[1])) : given;
    const address = cell("address");
    const name = cell("name") || address;
    const aliases = cell("alias")
      .split(/[|、]/)
      .map((alias) => alias.trim())
      .filter((alias) => alias !== "" && alias !== name)
      .slice(0, ALIAS_MAX);
    entries.push({ name, ...(address !== "" && address !== name ? { address } : {}), aliases, lon, lat });
  }
  return { entries, skipped };
}

function rowProblem(found: number, expected: number, cell: (name: (typeof COLUMNS)[number]) => string): string | null {
  if (found !== expected) return `${found} columns, the header has ${expected}`;
  const name = cell("name") || cell("address");
  if (name === "") return "no name or address";
  if (name.length > NAME_MAX || cell("address").length > NAME_MAX) return `name or address longer than ${NAME_MAX} characters`;
  const crs = cell("crs").toLowerCase();
  if (crs !== "" && crs !== "wgs84" && crs !== "gcj02") return `crs "${crs.slice(0, 20)}" is neither wgs84 nor gcj02`;
  for (const axis of ["lon", "lat"] as const) {
    const text = cell(axis);
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) return `${axis} "${text.slice(0, 20)}" is not a number`;
    const [low, high] = CHINA[axis];
    if (value < low || value > high) return `${axis} ${value} is outside China (${low} to ${high}${axis === "lon" ? "; lon and lat swapped?" : ""})`;
  }
  return null;
}

/** One line for the log: how many rows were skipped and why, naming the first lines. */
export function describeSkipped(skipped: readonly SkippedRow[], shown = 10): string {
  const first = skipped.slice(0, shown).map((row) => `line ${row.line}: ${row.reason}`);
  const more = skipped.length > shown ? `; and ${skipped.length - shown} more` : "";
  return `skipped ${skipped.length} row${skipped.length === 1 ? "" : "s"} (${first.join("; ")}${more})`;
}
