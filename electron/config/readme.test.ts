import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, envOf, flagCell } from "./keys.js";

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "CONFIGURATION.md"), "utf8");

describe("docs/CONFIGURATION.md configuration table", () => {
  it.each(CONFIG_KEY_NAMES)("documents %s with its flag, environment variable and the description in keys.ts", (key) => {
    // A "|" inside a description would end the table cell: Markdown needs it escaped.
    const description = CONFIG_KEYS[key].description.replaceAll("|", "\\|");
    expect(readme).toContain(`| \`${key}\` | ${flagCell(key)} | \`${envOf(key)}\` | ${description} |`);
  });
});
