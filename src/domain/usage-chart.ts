/** Daily active licences of one package: one value per day, oldest first. */
export interface ChartSeries {
  label: string;
  values: readonly number[];
}

const WIDTH = 800;
const HEIGHT = 400;
const PAD = { left: 60, right: 180, top: 40, bottom: 50 };
const COLOURS = ['#0070d2', '#e8710a', '#1e8e3e', '#d93025', '#9334e6', '#12b5cb', '#f9ab00', '#5f6368'];

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

const MAX_INTERVALS = 5;

/**
 * The y-axis ticks for licence counts: whole numbers only (nobody holds 1.3 licences), a step of
 * 1, 2 or 5 times a power of ten, at most five intervals, the top tick at least the data maximum.
 */
export function licenceAxisTicks(max: number): number[] {
  const top = Math.max(1, Math.ceil(max));
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const fit = [1, 2, 5].map((f) => f * power).find((s) => Math.ceil(top / s) <= MAX_INTERVALS);
    if (fit) {
      step = fit;
      break;
    }
  }
  return Array.from({ length: Math.ceil(top / step) + 1 }, (_, k) => k * step);
}

/**
 * A line chart of daily active licences per package as SVG (rendered to PNG elsewhere). Pure: the
 * same data always gives the same picture; days are labelled by their dates.
 */
export function buildUsageChartSvg(title: string, days: readonly string[], series: readonly ChartSeries[]): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const ticks = licenceAxisTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const top = ticks.at(-1)!;
  const x = (i: number) => PAD.left + (days.length <= 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="24" font-size="16" font-weight="bold" fill="#202124">${escapeXml(title)}</text>`,
  ];
  for (const v of ticks) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
    parts.push(
      `<text x="${PAD.left - 8}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#5f6368">${v.toLocaleString('en-US')}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(days.length / 6));
  days.forEach((d, i) => {
    if (i % labelEvery === 0 || i === days.length - 1)
      parts.push(
        `<text x="${x(i).toFixed(1)}" y="${HEIGHT - PAD.bottom + 18}" font-size="11" text-anchor="middle" fill="#5f6368">${escapeXml(d.slice(5))}</text>`,
      );
  });
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#9aa0a6"/>`);
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9aa0a6"/>`);
  series.forEach((s, n) => {
    const colour = COLOURS[n % COLOURS.length]!;
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2.5"/>`);
    const ly = PAD.top + 10 + n * 20;
    parts.push(`<rect x="${WIDTH - PAD.right + 15}" y="${ly - 9}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${WIDTH - PAD.right + 32}" y="${ly + 1}" font-size="12" fill="#202124">${escapeXml(s.label)}</text>`);
  });
  if (series.length === 0)
    parts.push(
      `<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH / 2}" font-size="14" text-anchor="middle" fill="#5f6368">no licences held in this period</text>`,
    );
  parts.push('</svg>');
  return parts.join('');
}
