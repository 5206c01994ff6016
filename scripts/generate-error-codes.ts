/** Writes docs/error-codes.md from the one list (src/contracts/error-codes.ts); test/unit/readme-error-codes.test.ts checks it is current. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorCodesDoc } from '../src/contracts/error-codes.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'error-codes.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderErrorCodesDoc());
console.log(`wrote ${target}`);
