/** The one fontkit call the PDF renderer makes (fontkit ships no types): parse a font file once. */
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): object;
}
