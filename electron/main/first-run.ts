import path from "node:path";

/*
 * The packaged app's first start, before any feed is configured: a screen
 * that names the setting, instead of a wall of simulated cases that could be
 * taken for real ones. The demo runs only when asked for (`--demo`).
 */

export type FirstRunScreen = { title: string; message: string; detail: string };

export function firstRunScreen(dataDir: string): FirstRunScreen {
  const file = path.join(dataDir, "config.json");
  return {
    title: "网格化指挥分中心 · Grid Command Console",
    message: "尚未配置数据源 / No feed configured",
    detail: [
      `请在 ${file} 中设置 "feedUrl"（平台地址，https://）和 "token"（或 "tokenFile"），然后重新启动。`,
      "也可以用环境变量 GRID_CONSOLE_FEED_URL 和 GRID_CONSOLE_TOKEN。",
      "演示/培训：以 --demo 启动，使用内置的模拟数据源。",
      "",
      `Set "feedUrl" (the platform's https:// address) and "token" (or "tokenFile") in ${file}, then start the console again.`,
      "The environment variables GRID_CONSOLE_FEED_URL and GRID_CONSOLE_TOKEN work too.",
      "Demo / training: start with --demo to run the built-in simulated feed.",
    ].join("\n"),
  };
}
