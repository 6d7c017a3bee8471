import type { BuildOptions } from 'esbuild';

export declare const electronTarget: string;
export declare const mainBundleOptions: BuildOptions;
