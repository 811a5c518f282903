/** Debian's Chromium unless CHROMIUM_PATH says otherwise. */
export declare const CHROMIUM_PATH: string;
/** Launch flags every browser run here needs (fake media devices and UI, no sandbox, no background networking). */
export declare const CHROMIUM_ARGS: readonly string[];
