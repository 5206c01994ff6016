// The console's static files are read at run time beside the compiled code (<outDir>/console/assets).
import { cpSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const outDir = resolve(process.argv[2] ?? 'dist');
cpSync(new URL('../src/console/assets', import.meta.url), resolve(outDir, 'console/assets'), { recursive: true });
// The last step of `npm run build`: `npm run cli` runs the compiled CLI only when this stamp is newer than src/.
writeFileSync(resolve(outDir, '.built-at'), `${new Date().toISOString()}\n`);
