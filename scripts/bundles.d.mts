import type { BuildOptions } from "esbuild";

export declare const RUNTIME_EXTERNALS: string[];
export declare const ELECTRON_BUNDLES: Array<[entry: string, out: string]>;
export declare function bundleOptions(root: string, entry: string, out: string, outRoot?: string): BuildOptions;
