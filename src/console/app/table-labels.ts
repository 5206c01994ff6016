// On a phone every table is a stack of cards (console.css): each cell shows its column's name, taken
// here from the table's header row, for tables on every page (whoever wrote it) and the dashboard.
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

export function labelCells(root: ParentNode): void {
  for (const table of root.querySelectorAll('table')) {
    const headRow = table.tHead?.rows[table.tHead.rows.length - 1];
    if (!headRow) continue;
    const names: string[] = [];
    for (const th of headRow.cells) for (let i = 0; i < th.colSpan; i++) names.push(th.textContent?.trim() ?? '');
    for (const section of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])])
      for (const row of section.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const name = cell.colSpan === 1 ? (names[column] ?? '') : '';
          if (cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
          column += cell.colSpan;
        }
      }
  }
}

/** Labels the cells of every table under these elements now and whenever their content changes. */
export function useTableLabels(roots: RefObject<HTMLElement>[]): void {
  useEffect(() => {
    const elements = roots.map((r) => r.current).filter((e): e is HTMLElement => e !== null);
    const label = () => {
      for (const e of elements) labelCells(e);
    };
    // Attribute changes are not observed: labelling never wakes the observer again.
    const labeller = new MutationObserver(label);
    for (const e of elements) labeller.observe(e, { childList: true, subtree: true, characterData: true });
    label();
    return () => labeller.disconnect();
  }, []);
}
