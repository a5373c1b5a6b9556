import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import { builtinModules } from "node:module";

/** Every Node builtin by its bare name (the `node:` forms are refused by pattern): Node's own list, not a hand-kept one. */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith("_"));

/*
 * Layer rules (STYLE.md). Do not relax these rules: they are what keeps shared/
 * pure, the engine runnable without Electron, and views free of sockets and SQL.
 */
const layer = (paths, message) => paths.map((name) => ({ name, message }));

/** The browser's socket: only the bridge transport (renderer/src/bridge) opens one; views read the bridge. */
const NO_WEBSOCKET = "Only renderer/src/bridge opens a WebSocket: views read from the bridge, and the Node side uses the ws / socket.io packages.";
const webSocketGlobal = { name: "WebSocket", message: NO_WEBSOCKET };
const webSocketProperties = ["window", "globalThis", "self"].map((object) => ({ object, property: "WebSocket", message: NO_WEBSOCKET }));

/* The Node side (engine, host, config, CLI) may not reach the Electron shell or the views. */
const nodeSidePatterns = [
  { group: ["**/renderer/**"], message: "The Node side never imports views: talk through shared/bridge." },
  { group: ["**/main/**", "**/preload/**"], message: "The engine never depends on the Electron shell." },
];
/* The engine (issue 14) depends on shared/ and itself only: the shells wrap it, never the other way round. */
const engineShellPatterns = [
  { group: ["**/host/**", "**/cli/**"], message: "The engine never imports a shell (electron/host, electron/cli): they wrap it. Pass what it needs in its options." },
  { group: ["**/config/**"], message: "The engine never reads configuration (electron/config): the shell turns the config into engine options (electron/config/prepare.ts)." },
];
const engineFeedPattern = { group: ["**/feed/**"], message: "The engine never imports the reference feed (feed/): it talks to any feed over the protocol (shared/protocol)." };

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".tsbuild/", "e2e/.artifacts/", "bench/.out/", "resources/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    plugins: { "import-x": importX },
    settings: {
      // no-cycle follows imports through files it parses itself: TypeScript with typescript-eslint's parser.
      "import-x/extensions": [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
      // NodeNext imports name the .js a .ts file becomes.
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".json"], extensionAlias: { ".js": [".ts", ".tsx", ".js"], ".mjs": [".mts", ".mjs"] } })],
    },
    rules: {
      // An import cycle makes load order decide what a module sees: none, across the whole project.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["shared/**/*.test.ts"],
    languageOptions: { globals: {} },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...layer(["electron"], "shared/ is pure: Electron belongs in electron/main."),
            ...layer(["react", "react-dom"], "shared/ is pure: React belongs in renderer/."),
            ...layer(["socket.io", "socket.io-client", "sql.js"], "shared/ is pure: sockets and SQL belong in the engine (electron/engine)."),
            ...layer(nodeBuiltins, "shared/ is pure: Node modules belong in electron/ or feed/. Pass data in instead."),
          ],
          patterns: [
            { group: ["node:*"], message: "shared/ is pure: Node modules belong in electron/ or feed/. Pass data in instead." },
            { group: ["**/electron/**", "**/renderer/**", "**/feed/**"], message: "shared/ depends on nothing else in the project." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "window", message: "shared/ has no DOM." }, { name: "document", message: "shared/ has no DOM." }, { name: "process", message: "shared/ has no Node: pass values in." }, webSocketGlobal],
      "no-restricted-properties": ["error", ...webSocketProperties],
    },
  },
  {
    files: ["electron/engine/**/*.ts", "electron/host/**/*.ts", "electron/config/**/*.ts", "electron/cli/**/*.ts"],
    languageOptions: { globals: globals.node },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: layer(["electron"], "The engine and web host run without Electron: only electron/main and electron/preload may import it."),
          patterns: nodeSidePatterns,
        },
      ],
    },
  },
  {
    files: ["electron/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: layer(["electron"], "The engine runs without Electron: only electron/main and electron/preload may import it."),
          patterns: [...nodeSidePatterns, ...engineShellPatterns, engineFeedPattern],
        },
      ],
    },
  },
  {
    // Narrow exception: an engine test may run the reference feed in process as the real counterpart on the
    // other end of the protocol (electron/engine/chaos.test.ts); engine code itself never imports it.
    files: ["electron/engine/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: layer(["electron"], "The engine runs without Electron: only electron/main and electron/preload may import it."),
          patterns: [...nodeSidePatterns, ...engineShellPatterns],
        },
      ],
    },
  },
  {
    files: ["electron/main/**/*.ts", "electron/preload/**/*.ts"],
    languageOptions: { globals: globals.node },
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/renderer/**"], message: "Electron main never imports views: talk through shared/bridge." }] }],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    ignores: ["renderer/vite.config.ts"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...layer(["electron"], "Views never touch Electron: use the bridge (renderer/bridge)."),
            ...layer(["socket.io-client", "socket.io", "ws"], "Views hold no socket: read from the bridge (renderer/bridge)."),
            ...layer(["sql.js"], "Views hold no SQL: ask the engine through the bridge."),
            ...layer(nodeBuiltins, "Views run in the browser: no Node modules."),
          ],
          patterns: [
            { group: ["node:*"], message: "Views run in the browser: no Node modules." },
            { group: ["**/electron/**", "**/feed/**"], message: "Views reach the engine only through shared/bridge." },
          ],
        },
      ],
      "no-restricted-globals": ["error", webSocketGlobal],
      "no-restricted-properties": ["error", ...webSocketProperties],
    },
  },
  {
    // The bridge transport is where the page's one WebSocket lives (renderer/src/bridge/web.ts).
    files: ["renderer/src/bridge/**/*.{ts,tsx}"],
    rules: { "no-restricted-globals": "off", "no-restricted-properties": "off" },
  },
  {
    // Node has a global WebSocket too: the console's Node side and the feed use the ws / socket.io packages instead.
    files: ["electron/**/*.ts", "feed/**/*.ts"],
    rules: { "no-restricted-globals": ["error", webSocketGlobal], "no-restricted-properties": ["error", ...webSocketProperties] },
  },
  {
    files: ["feed/**/*.ts", "scripts/**/*.{ts,mjs,js}", "bench/**/*.ts", "e2e/**/*.ts", "**/*.test.ts", "*.config.{js,ts}", "renderer/vite.config.ts", ".ci/**"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["feed/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/electron/**", "**/renderer/**"], message: "The reference feed server stands alone: it shares only shared/ with the console." }] }],
    },
  },
);
