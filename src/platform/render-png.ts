import { Resvg } from '@resvg/resvg-js';

/** SVG → PNG with resvg (Rust, no browser, no network); system fonts draw the text. */
export function renderSvgToPng(svg: string): Uint8Array {
  const png = new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
