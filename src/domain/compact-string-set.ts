/**
 * A set of strings kept as UTF-8 bytes in one growing byte array, found through an open-addressing
 * table of offsets: exact, like a `Set<string>`, but without a heap object per member. A
 * `Set<string>` of a 48 MB screening list's 463,000 ids held ~25 MB of V8 heap for the whole load
 * (a string and a table slot per id), and V8 sized the heap to a multiple of that; here the same ids
 * take ~10 MB of plain bytes, allocated to size and freed with the set.
 */
export interface CompactStringSet {
  /** Adds `value`; false when it was already there. */
  add(value: string): boolean;
  readonly size: number;
}

const encoder = new TextEncoder();
/** Bytes before each member: its length, little-endian. */
const LENGTH_BYTES = 4;

/** Writes `value` as UTF-8 at `at` (ASCII byte by byte, which most ids are; anything else through TextEncoder); returns the length. */
function writeUtf8(value: string, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return encoder.encodeInto(value, bytes.subarray(at)).written;
    bytes[at + i] = c;
  }
  return value.length;
}

export function createCompactStringSet(): CompactStringSet {
  let bytes = new Uint8Array(64 * 1024);
  let used = 0;
  // Each slot holds a member's offset in `bytes` plus one; 0 is an empty slot.
  let slots = new Int32Array(1024);
  let size = 0;

  const hashAt = (at: number, length: number): number => {
    // FNV-1a over the member's bytes.
    let h = 0x811c9dc5;
    for (let i = at; i < at + length; i += 1) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return h >>> 0;
  };
  const lengthAt = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  const sameAt = (a: number, b: number, length: number): boolean => {
    for (let i = 0; i < length; i += 1) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  };
  /** The slot holding the member whose bytes are at `at` (length `length`), or the empty slot where it would go. */
  const slotOf = (table: Int32Array, at: number, length: number): number => {
    const mask = table.length - 1;
    for (let s = hashAt(at, length) & mask; ; s = (s + 1) & mask) {
      const held = table[s]!;
      if (held === 0) return s;
      const other = held - 1;
      if (lengthAt(other) === length && sameAt(other + LENGTH_BYTES, at, length)) return s;
    }
  };
  const grow = () => {
    const bigger = new Int32Array(slots.length * 2);
    for (const held of slots) {
      if (held === 0) continue;
      const at = held - 1;
      bigger[slotOf(bigger, at + LENGTH_BYTES, lengthAt(at))] = held;
    }
    slots = bigger;
  };

  return {
    add(value) {
      // The candidate is written after the last member (UTF-8 takes at most 3 bytes per UTF-16 unit),
      // compared in place, and kept by moving `used` past it only when it is new.
      const room = LENGTH_BYTES + value.length * 3;
      if (used + room > bytes.length) {
        const larger = new Uint8Array(Math.max(bytes.length * 2, used + room));
        larger.set(bytes.subarray(0, used));
        bytes = larger;
      }
      const length = writeUtf8(value, bytes, used + LENGTH_BYTES);
      bytes[used] = length & 0xff;
      bytes[used + 1] = (length >>> 8) & 0xff;
      bytes[used + 2] = (length >>> 16) & 0xff;
      bytes[used + 3] = (length >>> 24) & 0xff;
      const slot = slotOf(slots, used + LENGTH_BYTES, length);
      if (slots[slot] !== 0) return false;
      slots[slot] = used + 1;
      used += LENGTH_BYTES + length;
      size += 1;
      // At most half full, so a probe meets an empty slot soon.
      if (size * 2 > slots.length) grow();
      return true;
    },
    get size() {
      return size;
    },
  };
}
