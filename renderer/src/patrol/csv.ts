/*
 * CSV for the assessment office: RFC 4180 (CRLF, quotes doubled, a field with
 * a comma, quote or line break quoted), UTF-8 with a byte-order mark so that
 * Excel opens the Chinese as Chinese rather than as mojibake. Text that Excel
 * would run as a formula (=, +, -, @ first: a name typed by anyone into the
 * platform) is led by an apostrophe; numbers are written as numbers.
 */

export const BOM = "\uFEFF";

export type CsvValue = string | number;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Hands `csv` to the browser as a download named `fileName` (the web host and Electron both save it). */
export function downloadCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns in Chromium; the URL is released on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
