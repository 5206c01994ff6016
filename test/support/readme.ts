import { readFileSync } from 'node:fs';

/** The bash blocks of a README section (from its heading to the next `## `), in order. */
export function readmeBashBlocks(heading: string): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no section "${heading}"`);
  const section = readme.slice(at + 1).split('\n## ')[0]!;
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
