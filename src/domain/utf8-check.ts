/** Where a file stops being UTF-8: its line (1-based, counting line feeds) and the byte within that line (1-based). */
export interface Utf8Fault {
  line: number;
  byte: number;
  /** The offending bytes, as hex (`0xE9`; `0xE2 0x82` for a sequence cut short). */
  bytes: string;
}

export interface Utf8Checker {
  /** Checks the next piece of the file; the first fault found, if any (later pieces are not needed). */
  push(piece: Uint8Array): Utf8Fault | undefined;
  /** At the end of the file: a sequence the last piece left unfinished is a fault too. */
  end(): Utf8Fault | undefined;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Checks bytes as they arrive for well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), remembering across pieces, so a file is checked while it streams in and a
 * fault is named where a person can find it in an editor. A byte-order mark is well-formed UTF-8 and
 * passes. Pure: the caller feeds the bytes.
 */
export function createUtf8Checker(): Utf8Checker {
  let line = 1;
  let byteInLine = 0;
  /** Continuation bytes the current sequence still needs, and the range the next one must fall in. */
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  let seq: number[] = [];
  let seqByte = 0;
  const fault = (at: number, bytes: number[]): Utf8Fault => ({ line, byte: at, bytes: bytes.map(hex).join(' ') });
  // The platform's decoder checks a piece natively (several times faster than the loop below); the loop
  // runs only on a piece's unfinished tail and, to say where, on a piece the decoder refused.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const advanceLines = (body: Uint8Array) => {
    let at = body.indexOf(0x0a);
    if (at < 0) {
      byteInLine += body.length;
      return;
    }
    let last = at;
    while (at >= 0) {
      line += 1;
      last = at;
      at = body.indexOf(0x0a, at + 1);
    }
    byteInLine = body.length - last - 1;
  };
  const check = (piece: Uint8Array): Utf8Fault | undefined => {
    for (let i = 0; i < piece.length; i += 1) {
      const b = piece[i]!;
      if (need === 0) {
        if (b < 0x80) {
          if (b === 0x0a) {
            line += 1;
            byteInLine = 0;
          } else byteInLine += 1;
          continue;
        }
        byteInLine += 1;
        seqByte = byteInLine;
        seq = [b];
        lo = 0x80;
        hi = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          if (b === 0xe0) lo = 0xa0;
          else if (b === 0xed) hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          if (b === 0xf0) lo = 0x90;
          else if (b === 0xf4) hi = 0x8f;
        } else return fault(byteInLine, [b]);
        continue;
      }
      if (b < lo || b > hi) return fault(seqByte, seq);
      byteInLine += 1;
      seq.push(b);
      lo = 0x80;
      hi = 0xbf;
      need -= 1;
    }
    return undefined;
  };
  return {
    push(whole) {
      let piece = whole;
      if (need > 0) {
        const rest = Math.min(need, piece.length);
        const f = check(piece.subarray(0, rest));
        if (f || need > 0) return f;
        piece = piece.subarray(rest);
      }
      const cut = completeEnd(piece);
      const body = piece.subarray(0, cut);
      let checked = false;
      try {
        decoder.decode(body);
      } catch {
        // Refused: the loop says where (or, for a sequence the body only cuts short, carries it on).
        const f = check(body);
        if (f) return f;
        checked = true;
      }
      if (!checked) advanceLines(body);
      return check(piece.subarray(cut));
    },
    end() {
      return need > 0 ? fault(seqByte, seq) : undefined;
    },
  };
}

/**
 * Where the last complete sequence of a piece ends: a lead byte among its last three bytes whose
 * sequence runs past the end starts the unfinished tail (malformed bytes are left to the decoder).
 */
function completeEnd(piece: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= piece.length; k += 1) {
    const b = piece[piece.length - k]!;
    if (b < 0x80) return piece.length;
    if (b >= 0xc0) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k ? piece.length - k : piece.length;
  }
  return piece.length;
}

/** How a fault reads in an error: where it is and what to do about it. */
export function describeUtf8Fault(f: Utf8Fault): string {
  return `line ${f.line}, byte ${f.byte}: not UTF-8 (${f.bytes}); save the file as UTF-8 (in Excel: CSV UTF-8) and send it again`;
}

/** The first fault of a whole file in memory, if any. */
export function findUtf8Fault(bytes: Uint8Array): Utf8Fault | undefined {
  const checker = createUtf8Checker();
  return checker.push(bytes) ?? checker.end();
}
