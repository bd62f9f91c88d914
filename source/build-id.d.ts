/** Set by scripts/bundle.mjs for each build of the bundle; absent when the tsc output runs (tests), which then caches nothing. */
declare const OPSCONSOLE_BUILD_ID: string | undefined;
