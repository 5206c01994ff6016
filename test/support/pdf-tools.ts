import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const has = (tool: string) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Why the PDF tests cannot run here, or undefined when they can: they read PDFs with poppler's
 * pdftotext and pdftoppm (apt-get install poppler-utils). A machine without them skips those tests;
 * CI sets REQUIRE_PDF_TOOLS=1 (and installs them), so there a missing tool fails instead.
 */
export const missingPdfTools = has('pdftotext') && has('pdftoppm') ? undefined : 'no pdftotext/pdftoppm: apt-get install poppler-utils';
if (missingPdfTools && process.env.REQUIRE_PDF_TOOLS === '1') throw new Error(missingPdfTools);

function inTempDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wd-pdf-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as pdftotext reads it, one string per page (-layout keeps a row's cells on one line). */
export function pdfPages(pdf: Uint8Array): string[] {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' });
    return text.split('\f').slice(0, -1);
  });
}

/** Each page as a decoded PNG (pdftoppm at `dpi`). */
export function pdfToPngs(pdf: Uint8Array, dpi = 72, keepIn?: string): PNG[] {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'in.pdf'), join(dir, 'page')]);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    if (keepIn) for (const f of files) writeFileSync(join(keepIn, f), readFileSync(join(dir, f)));
    return files.map((f) => PNG.sync.read(readFileSync(join(dir, f))));
  });
}

/** The box around every pixel darker than near-white, in pixels; undefined for a blank page. */
export function inkBox(png: PNG): { left: number; top: number; right: number; bottom: number } | undefined {
  let left = png.width;
  let top = png.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) * 4;
      if (png.data[i]! < 235 || png.data[i + 1]! < 235 || png.data[i + 2]! < 235) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  return right < 0 ? undefined : { left, top, right, bottom };
}
