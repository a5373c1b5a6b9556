import type { Category, Department } from "../bridge/contract.js";
import { PRIORITIES } from "../protocol/schemas.js";
import type { Priority } from "../protocol/types.js";

/*
 * Parsers for the reference tables a deployment supplies (resources/data):
 * categories with default priority and deadlines, and departments with the
 * major categories they handle. Pure: the caller reads the file.
 */

export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = "ReferenceDataError";
  }
}

function rows(text: string, file: string, header: string[]): { line: number; cells: string[] }[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const head = (lines[0] ?? "").split(",").map((c) => c.trim());
  if (header.some((h, i) => head[i] !== h)) throw new ReferenceDataError(file, 1, `header must be ${header.join(",")}`);
  const out: { line: number; cells: string[] }[] = [];
  lines.slice(1).forEach((text, index) => {
    if (text.trim() === "") return;
    const cells = text.split(",").map((c) => c.trim());
    if (cells.length !== header.length) throw new ReferenceDataError(file, index + 2, `expected ${header.length} columns, found ${cells.length}`);
    out.push({ line: index + 2, cells });
  });
  return out;
}

export function parseCategories(text: string, file = "event-categories.csv"): Category[] {
  const seen = new Set<string>();
  return rows(text, file, ["code", "major", "minor", "default_priority", "respond_hours", "close_hours"]).map(({ line, cells }) => {
    const [code = "", major = "", minor = "", priority = "", respond = "", close = ""] = cells;
    if (!/^\d{4}$/.test(code)) throw new ReferenceDataError(file, line, `code "${code}" is not four digits`);
    if (seen.has(code)) throw new ReferenceDataError(file, line, `code ${code} appears twice`);
    seen.add(code);
    if (!(PRIORITIES as readonly string[]).includes(priority)) throw new ReferenceDataError(file, line, `priority "${priority}" is not one of ${PRIORITIES.join(", ")}`);
    const respondHours = Number(respond);
    const closeHours = Number(close);
    if (!(respondHours > 0) || !(closeHours > 0)) throw new ReferenceDataError(file, line, "deadlines must be positive numbers of hours");
    if (closeHours < respondHours) throw new ReferenceDataError(file, line, "close_hours is shorter than respond_hours");
    return { code, major, minor, defaultPriority: priority as Priority, respondHours, closeHours };
  });
}

export function parseDepartments(text: string, file = "departments.csv"): Department[] {
  const seen = new Set<string>();
  return rows(text, file, ["id", "name", "handles"]).map(({ line, cells }) => {
    const [id = "", name = "", handles = ""] = cells;
    if (id === "" || name === "") throw new ReferenceDataError(file, line, "id and name are required");
    if (seen.has(id)) throw new ReferenceDataError(file, line, `id ${id} appears twice`);
    seen.add(id);
    const majors = handles.split(/\s+/).filter(Boolean);
    if (majors.some((m) => !/^\d{2}$/.test(m))) throw new ReferenceDataError(file, line, `handles "${handles}" must be two-digit major codes`);
    return { id, name, handles: majors };
  });
}

/** The department that usually handles a category: the first whose majors include it. */
export function defaultDepartment(departments: readonly Department[], categoryCode: string): Department | undefined {
  const major = categoryCode.slice(0, 2);
  return departments.find((d) => d.handles.includes(major));
}
