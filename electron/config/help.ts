import { CONFIG_FILE_FLAG, CONFIG_KEYS, CONFIG_KEY_NAMES, envOf, flagOf, onCommandLine } from "./keys.js";

/** The --help text: every key with its flag and environment variable, from the one table of keys. */
export function helpText(command: string): string {
  const lines = [
    `usage: ${command} [${CONFIG_FILE_FLAG} <file>] [--<key> <value> …]`,
    "",
    "Configuration comes from a JSON file (--config, else <dataDir>/config.json), then GRID_CONSOLE_* variables, then flags; later ones win.",
    "",
  ];
  for (const key of CONFIG_KEY_NAMES) {
    lines.push(`  ${(onCommandLine(key) ? flagOf(key) : `(${key}: no flag)`).padEnd(28)} ${envOf(key)}`, `      ${CONFIG_KEYS[key].description}`);
  }
  return `${lines.join("\n")}\n`;
}

export const wantsHelp = (argv: readonly string[]): boolean => argv.includes("--help") || argv.includes("-h");
