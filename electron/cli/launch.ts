import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/*
 * What `npm start` can open the console in: the Electron binary when it was
 * downloaded, else a Chromium-family browser in app mode (a window without
 * tabs or address bar), else nothing and the URL is printed.
 */

/**
 * The Electron binary's path if the electron package has one on disk, else null. Read from the
 * package's path.txt rather than by `require("electron")`: since Electron 42 that require downloads
 * the binary when it is missing (no postinstall any more), and a start or a test must not fetch
 * 100 MB from the network. `packageDir`: the electron package's folder (tests pass a fake one).
 */
export function electronBinary(packageDir?: string): string | null {
  try {
    const dir = packageDir ?? path.dirname(createRequire(import.meta.url).resolve("electron/package.json"));
    const executable = readFileSync(path.join(dir, "path.txt"), "utf8").trim();
    if (executable === "") return null;
    const binary = path.join(dir, "dist", executable);
    return isExecutable(binary) ? binary : null;
  } catch {
    // No electron package, or no path.txt (the binary was never downloaded): no binary.
    return null;
  }
}

const BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** A configured browser (path or command), else the first Chromium-family browser on PATH. */
export function findBrowser(configured: string | undefined, pathVariable = process.env.PATH ?? ""): string | null {
  const directories = pathVariable.split(path.delimiter).filter(Boolean);
  const candidates = configured ? [configured] : BROWSERS;
  for (const name of candidates) {
    if (path.isAbsolute(name)) {
      if (isExecutable(name)) return name;
      continue;
    }
    for (const directory of directories) {
      const file = path.join(directory, name);
      if (isExecutable(file)) return file;
    }
  }
  return null;
}

export function appModeArguments(url: string, profileDir: string, runningAsRoot: boolean): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    // Chromium refuses to start as root with its sandbox on; only then is it turned off.
    ...(runningAsRoot ? ["--no-sandbox"] : []),
  ];
}

/** Runs a program with no terminal I/O and resolves to its exit code. */
export function runQuietly(command: string, args: string[]): Promise<number | null> {
  const child = spawn(command, args, { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}

export function runInherited(command: string, args: string[]): Promise<number | null> {
  const child = spawn(command, args, { stdio: "inherit" });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}
