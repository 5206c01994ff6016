/**
 * The deepest nesting any JSON body the service reads may have. Real payloads nest a handful of
 * levels (an event's data holds a customer, its address, its packages); 32 leaves room and keeps
 * every recursive step after parsing (zod, JSON.stringify, PostgreSQL's jsonb parser) far from a
 * stack overflow.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the JSON text nests objects or arrays deeper than `maxDepth`. A single iterative pass
 * over the raw text, counting brackets outside strings (escapes included), so it is safe to run
 * before JSON.parse on anything a client sends: no recursion, no allocation. It does not validate
 * the JSON; malformed text is left for JSON.parse to refuse.
 */
export function exceedsJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--;
  }
  return false;
}

export const jsonTooDeepMessage = (maxDepth: number = MAX_JSON_DEPTH) =>
  `the JSON nests deeper than ${maxDepth} levels of objects and arrays`;
