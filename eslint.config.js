import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const nodeBuiltins = ["fs", "path", "os", "child_process", "crypto", "http", "https", "net", "events", "stream", "url", "util", "worker_threads", "zlib"];

/*
 * Layer rules (STYLE.md). Do not relax these rules: they are what keeps shared/
 * pure, the engine runnable without Electron, and views free of sockets and SQL.
 */
const layer = (paths, message) => paths.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".tsbuild/", "e2e/.artifacts/", "bench/.out/", "resources/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
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
      "no-restricted-globals": ["error", { name: "window", message: "shared/ has no DOM." }, { name: "document", message: "shared/ has no DOM." }, { name: "process", message: "shared/ has no Node: pass values in." }],
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
          patterns: [
            { group: ["**/renderer/**"], message: "The Node side never imports views: talk through shared/bridge." },
            { group: ["**/main/**", "**/preload/**"], message: "The engine never depends on the Electron shell." },
          ],
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
            ...layer(["socket.io-client", "socket.io"], "Views hold no socket: read from the bridge (renderer/bridge)."),
            ...layer(["sql.js"], "Views hold no SQL: ask the engine through the bridge."),
            ...layer(nodeBuiltins, "Views run in the browser: no Node modules."),
          ],
          patterns: [
            { group: ["node:*"], message: "Views run in the browser: no Node modules." },
            { group: ["**/electron/**", "**/feed/**"], message: "Views reach the engine only through shared/bridge." },
          ],
        },
      ],
    },
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
