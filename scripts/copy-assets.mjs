// The console's static files are read at run time beside the compiled code (dist/console/assets).
import { cpSync } from 'node:fs';

cpSync(new URL('../src/console/assets', import.meta.url), new URL('../dist/console/assets', import.meta.url), { recursive: true });
