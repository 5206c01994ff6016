/** A CSV line that cannot be read: the message says why, `lines` is the physical line it ends on. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly lines: number,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  fields: string[];
  /** The physical line the record ends on (1-based; a quoted line break counts). */
  line: number;
}

export interface CsvSplitter {
  /** Text as it arrives; answers the records completed by it. */
  push(text: string): CsvRecord[];
  /** The end of the text: the last record, even without a line break. */
  end(): CsvRecord[];
}

/**
 * RFC 4180 records from text fed piece by piece (a billing report as it downloads): CRLF or LF, a
 * leading byte-order mark dropped, empty lines skipped, quoted fields with commas, doubled quotes and
 * line breaks. Lines without a quote (nearly all of Cisco's) are split with one `split(',')`; only a
 * line with a quote is read character by character. Holds at most one unfinished record, refused
 * past `maxRecordChars`. A quote inside an unquoted field, text after a closing quote, or a quote
 * never closed is an error, as csv-parse (used before) had it.
 */
export function createCsvSplitter(maxRecordChars: number): CsvSplitter {
  let buf = '';
  let linesDone = 0;
  let started = false;

  function take(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = buf.length;
    let pos = 0;
    // The next quote at or after pos (n when none): found once per stretch, never per line.
    let quote = buf.indexOf('"');
    if (quote < 0) quote = n;
    while (pos < n) {
      let nl = buf.indexOf('\n', pos);
      if (quote < pos) {
        quote = buf.indexOf('"', pos);
        if (quote < 0) quote = n;
      }
      if (nl < 0 && !final) break;
      if (nl < 0) nl = n;
      if (quote >= nl) {
        const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        linesDone += 1;
        if (end - pos > maxRecordChars) throw new CsvSyntaxError(`a line is longer than ${maxRecordChars} characters`, linesDone);
        if (end > pos) out.push({ fields: buf.slice(pos, end).split(','), line: linesDone });
        pos = nl + 1;
        continue;
      }
      const quoted = readQuotedRecord(buf, pos, final, linesDone, maxRecordChars);
      if (!quoted) break;
      linesDone += quoted.lines;
      out.push({ fields: quoted.fields, line: linesDone });
      pos = quoted.next;
    }
    buf = pos >= n ? '' : buf.slice(pos);
    if (buf.length > maxRecordChars) throw new CsvSyntaxError(`a line is longer than ${maxRecordChars} characters`, linesDone + 1);
    return out;
  }

  return {
    push(text) {
      if (!started && text) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      buf += text;
      return take(false);
    },
    end() {
      return take(true);
    },
  };
}

const countBreaks = (s: string) => {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) k += 1;
  return k;
};

/**
 * One record with a quote in it, from `start`; undefined when the text so far ends inside it (more
 * is coming). `lines`: the physical lines it spans.
 */
function readQuotedRecord(
  buf: string,
  start: number,
  final: boolean,
  linesBefore: number,
  max: number,
): { fields: string[]; next: number; lines: number } | undefined {
  const n = buf.length;
  const fields: string[] = [];
  let breaks = 0;
  let i = start;
  const fail = (message: string) => new CsvSyntaxError(message, linesBefore + breaks + 1);
  for (;;) {
    if (i - start > max) throw fail(`a line is longer than ${max} characters`);
    if (buf.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q < 0) {
          if (!final) return undefined;
          throw fail(`Quote Not Closed: the file ends inside field ${fields.length + 1}`);
        }
        const part = buf.slice(j, q);
        breaks += countBreaks(part);
        value += part;
        if (q + 1 >= n && !final) return undefined;
        if (buf.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
    } else {
      let end = i;
      while (end < n) {
        const c = buf.charCodeAt(end);
        if (c === 44 || c === 10) break;
        if (c === 34) throw fail(`Invalid Opening Quote: a quote inside unquoted field ${fields.length + 1}`);
        end += 1;
      }
      if (end >= n && !final) return undefined;
      fields.push(buf.slice(i, end > i && buf.charCodeAt(end - 1) === 13 && (end >= n || buf.charCodeAt(end) === 10) ? end - 1 : end));
      i = end;
    }
    if (i >= n) {
      if (!final) return undefined;
      return { fields, next: n, lines: breaks + 1 };
    }
    const c = buf.charCodeAt(i);
    if (c === 44) {
      i += 1;
      continue;
    }
    if (c === 10) return { fields, next: i + 1, lines: breaks + 1 };
    if (c === 13) {
      if (i + 1 >= n && !final) return undefined;
      if (i + 1 >= n) return { fields, next: n, lines: breaks + 1 };
      if (buf.charCodeAt(i + 1) === 10) return { fields, next: i + 2, lines: breaks + 1 };
    }
    throw fail(`Invalid Closing Quote: text after the closing quote of field ${fields.length}`);
  }
}
