// `npm run lint:status`: fails when code writes a customer's or subscriber's status anywhere but the
// transition functions' repositories (scripts/find-status-writes.ts says what counts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findStatusWrites, listCheckedFiles } from './find-status-writes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = listCheckedFiles(root);
const writes = files.flatMap((f) => findStatusWrites(f, readFileSync(join(root, f), 'utf8')));
for (const w of writes) console.error(`${w.file}:${w.line}: ${w.what}`);
if (writes.length) {
  console.error(
    `\n${writes.length} status write(s) outside moveCustomer/moveSubscriber (src/use-cases/move-*.ts): move the record through them.`,
  );
  process.exit(1);
}
console.log(`status writes: none outside the transition functions (${files.length} files checked)`);
