/** Builds src/ into `outDir` (emptied first) as `npm run build` does, with the console's assets; answers the absolute folder. */
export function buildInto(outDir: string): Promise<string>;
