import type { Figure } from "./lib.js";
import { machine } from "./lib.js";

/*
 * BENCHMARKS.md from stored suite results: a summary table, then per suite
 * how it is measured, its figures with their notes, and any failure as is.
 * Each suite carries its own run time and command, because a suite may be
 * re-run alone (`--only`) and merged with the others' last full results.
 */

export type StoredResult = {
  suite: string;
  title: string;
  method: string;
  figures: Figure[];
  error?: string;
  seconds: number;
  ranAt: string;
  command: string;
  machine: string;
  load: string;
};


const beijing = (iso: string) => `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ")} Beijing time`;
const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

function formatNumber(value: number | null): string {
  // A figure that could not be taken is stored as NaN, which JSON keeps as null.
  if (value === null || !Number.isFinite(value)) return "failed";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return String(value);
}

/** A figure that could not be taken reads as such, never as a number. */
const valueText = (f: Figure): string => (f.value === null || !Number.isFinite(f.value) ? "not measured (failed)" : `${formatNumber(f.value)} ${cell(f.unit)}`);

function summaryRow(f: Figure): string {
  const reference = f.reference ? `${formatNumber(f.reference.value)} ${f.reference.unit} (${f.reference.name})` : "—";
  const ratio = f.ratio === undefined ? "—" : `${f.ratio}${f.ratioMeaning ? ` (${f.ratioMeaning})` : ""}`;
  const met = f.met === undefined ? "—" : f.met ? "**met**" : "**missed**";
  return `| ${cell(f.suite)} | ${cell(f.name)} | ${valueText(f)} | ${cell(reference)} | ${cell(ratio)} | ${cell(f.target ?? "—")} | ${met} |`;
}

export function renderReport(results: readonly StoredResult[], notes: string): string {
  const lines: string[] = [];
  const times = results.map((r) => r.ranAt).sort();
  const first = times[0];
  const last = times.at(-1);
  lines.push("# Benchmarks", "");
  lines.push(
    "Written by `npm run bench` (bench/run.ts). Every figure in the tables was measured in the run named with its suite, and its reference in that same run; the section at the end (from bench/NOTES.md) is the hand-written account of profiles, fixes and gaps, and names the runs its numbers come from.",
    "",
    "Run it: `npm run bench` (all suites, 4–10 minutes; needs Debian's `/usr/bin/chromium` and a built console, `npm run build`), `npm run bench -- --only ingest,cache` (some suites; the others keep their last results), `npm run bench -- --quick` (small sizes, written to bench/.out/ only), `npm run bench -- --report` (runs nothing: BENCHMARKS.md again from the stored results and bench/NOTES.md). `BENCH_PROFILE=<dir>` also writes CPU profiles of the measured windows (Node suites, and the page's main thread in the city suite) for Chrome DevTools.",
    "",
  );
  lines.push(`- Machine: ${results[0]?.machine ?? machine()}`);
  if (first && last) lines.push(`- Run: ${beijing(first)} (${utc(first)})${first === last ? "" : ` to ${beijing(last)} (${utc(last)})`}`);
  lines.push(`- Commands: ${[...new Set(results.map((r) => `\`${r.command}\``))].join(", ")}`);
  lines.push("- GPU frame rate: not measured: no GPU machine was lent to this task. Chromium draws with SwiftShader (software WebGL) on the CPU here, so frame rates below are software-rendering figures.");
  lines.push("");
  lines.push("## Summary", "");
  lines.push("| suite | figure | value | reference | ratio | target | met |", "|---|---|---|---|---|---|---|");
  for (const result of results) for (const f of result.figures) lines.push(summaryRow(f));
  lines.push("");
  for (const result of results) {
    lines.push(`## ${result.title}`, "");
    lines.push(`Run ${beijing(result.ranAt)} (${utc(result.ranAt)}), \`${result.command}\`, ${Math.round(result.seconds)} s; load average at start ${result.load}.`, "");
    lines.push("How it is measured:", "", ...result.method.split("\n").map((line) => `- ${line}`), "");
    if (result.error) lines.push(`**This suite failed in this run:** \`${cell(result.error)}\``, "");
    if (result.figures.length > 0) {
      lines.push("| figure | value | reference | ratio | target | note |", "|---|---|---|---|---|---|");
      for (const f of result.figures) {
        const reference = f.reference ? `${formatNumber(f.reference.value)} ${f.reference.unit}: ${f.reference.name}` : "—";
        const met = f.met === undefined ? "" : f.met ? " (met)" : " (missed)";
        lines.push(`| ${cell(f.name)} | ${valueText(f)} | ${cell(reference)} | ${f.ratio ?? "—"} | ${cell(f.target ?? "—")}${met} | ${cell(f.note ?? "")} |`);
      }
      lines.push("");
    }
  }
  if (notes.trim() !== "") {
    // bench/NOTES.md: profiles, fixes and gaps, written by hand from the runs they name.
    lines.push(notes.trim(), "");
  }
  return `${lines.join("\n")}\n`;
}
