import type { Suite } from "./lib.js";
import { citySuite } from "./city.js";
import { coldStartSuite } from "./coldstart.js";
import { deltaSuite } from "./delta.js";
import { screenSuite } from "./screen.js";

/** The suites that run the console in Chromium, after the Node-only ones. */
export const browserSuites: readonly Suite[] = [coldStartSuite, screenSuite, citySuite, deltaSuite];
