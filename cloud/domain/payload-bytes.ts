/**
 * The bytes of each mutation's payload as the register sent them, cut out of a push's body
 * (`{"mutations": [{…, "payload": …}, …]}`), so a sale's document is stored as it arrived without
 * being made into text again: JSON.stringify of a batch's documents and the UTF-8 encoding of the
 * result were an eighth of the cloud's CPU per sale (issue 18).
 *
 * The body has already been parsed by JSON.parse, so it is valid JSON; this only finds where values
 * begin and end. Where a payload cannot be cut out (a key written with escapes, a body that is not
 * the expected shape), its entry is undefined and the caller serialises the parsed value instead.
 */
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;

class NotTheShape extends Error {}

const isSpace = (c: number | undefined): boolean => c === SPACE || c === NEWLINE || c === RETURN || c === 0x09;

function skipSpace(b: Buffer, i: number): number {
  while (isSpace(b[i])) i += 1;
  return i;
}

/** `b[i]` opens a string: the index after the quote that closes it. */
function stringEnd(b: Buffer, i: number): number {
  for (let j = i + 1; j < b.length; j += 1) {
    const c = b[j];
    if (c === BACKSLASH) j += 1;
    else if (c === QUOTE) return j + 1;
  }
  throw new NotTheShape();
}

/**
 * `b[i]` begins a value: the index after it. One plain loop over the bytes, strings skipped inline:
 * an indexOf per string was twice as slow, and a call per string (documents are mostly short
 * strings) four times.
 */
function valueEnd(b: Buffer, i: number): number {
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  const n = b.length;
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < n; j += 1) {
      const c = b[j];
      if (c === QUOTE) {
        for (j += 1; j < n; j += 1) {
          const d = b[j];
          if (d === BACKSLASH) j += 1;
          else if (d === QUOTE) break;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    throw new NotTheShape();
  }
  // a number, true, false or null
  let j = i;
  while (j < n && b[j] !== COMMA && b[j] !== CLOSE_BRACE && b[j] !== CLOSE_BRACKET && !isSpace(b[j])) j += 1;
  if (j === i) throw new NotTheShape();
  return j;
}

/**
 * Walks the object opening at `b[i]`: `readValue(key bytes, start)` reads each member's value and
 * answers the index after it. Answers the index after the object.
 */
function walkObject(b: Buffer, i: number, readValue: (key: Buffer, start: number) => number): number {
  if (b[i] !== OPEN_BRACE) throw new NotTheShape();
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_BRACE) return j + 1;
  for (;;) {
    if (b[j] !== QUOTE) throw new NotTheShape();
    const keyEnd = stringEnd(b, j);
    const key = b.subarray(j + 1, keyEnd - 1);
    j = skipSpace(b, keyEnd);
    j = skipSpace(b, j + 1); // the colon
    j = skipSpace(b, readValue(key, j));
    if (b[j] === CLOSE_BRACE) return j + 1;
    j = skipSpace(b, j + 1); // the comma
  }
}

/** Walks the array opening at `b[i]`: `readElement(start)` answers the index after each element. Answers the index after the array. */
function walkArray(b: Buffer, i: number, readElement: (start: number) => number): number {
  if (b[i] !== OPEN_BRACKET) throw new NotTheShape();
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_BRACKET) return j + 1;
  for (;;) {
    j = skipSpace(b, readElement(j));
    if (b[j] === CLOSE_BRACKET) return j + 1;
    j = skipSpace(b, j + 1); // the comma
  }
}

const MUTATIONS = Buffer.from('mutations');
const PAYLOAD = Buffer.from('payload');

/** The payloads of the `mutations` array opening at `b[i]`, and the index after the array. */
function mutationPayloads(b: Buffer, i: number): { slices: (Buffer | undefined)[]; end: number } {
  const slices: (Buffer | undefined)[] = [];
  const end = walkArray(b, i, (start) => {
    if (b[start] !== OPEN_BRACE) {
      slices.push(undefined);
      return valueEnd(b, start);
    }
    // the last "payload", as JSON.parse takes it
    let payload: Buffer | undefined;
    const elementEnd = walkObject(b, start, (key, valueStart) => {
      const valueStop = valueEnd(b, valueStart);
      if (key.equals(PAYLOAD)) payload = b.subarray(valueStart, valueStop);
      return valueStop;
    });
    slices.push(payload);
    return elementEnd;
  });
  return { slices, end };
}

/**
 * Each mutation's payload bytes, in the order of the body's `mutations` array (undefined for one
 * that cannot be cut out); undefined when the body is not `{"mutations": [...]}`. One pass over
 * the bytes: each payload is read once, where the array is walked.
 */
export function payloadSlices(body: Buffer): (Buffer | undefined)[] | undefined {
  try {
    // the last "mutations", as JSON.parse takes it; null: the last one is not an array
    let found: (Buffer | undefined)[] | null | undefined;
    walkObject(body, skipSpace(body, 0), (key, start) => {
      if (!key.equals(MUTATIONS)) return valueEnd(body, start);
      if (body[start] !== OPEN_BRACKET) {
        found = null;
        return valueEnd(body, start);
      }
      const { slices, end } = mutationPayloads(body, start);
      found = slices;
      return end;
    });
    return found ?? undefined;
  } catch (error) {
    if (error instanceof NotTheShape) return undefined;
    throw error;
  }
}

/** A top-level key the piece parser leaves to a parse of the whole (its prototype-poisoning checks). */
const GUARDED_KEYS = new Set(['__proto__', 'constructor']);

/** The key opening at `b[i]` as text, and the index after it; NotTheShape for one written with escapes or raw control characters. */
function plainKey(b: Buffer, i: number): { key: string; end: number } {
  if (b[i] !== QUOTE) throw new NotTheShape();
  const end = stringEnd(b, i);
  for (let j = i + 1; j < end - 1; j += 1) if (b[j] === BACKSLASH || (b[j] as number) < SPACE) throw new NotTheShape();
  const key = b.toString('utf8', i + 1, end - 1);
  if (GUARDED_KEYS.has(key)) throw new NotTheShape();
  return { key, end };
}

/**
 * Past this many pieces a body is parsed whole: a push holds at most 500 mutations, and a megabyte
 * of tiny elements costs twice as much parsed one by one.
 */
const MAX_PIECES = 2_000;

/** The array opening at `b[i]`, each element parsed alone; the index after it. */
function arrayInPieces(b: Buffer, i: number, parse: (text: string) => unknown): { value: unknown[]; end: number } {
  const value: unknown[] = [];
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_BRACKET) return { value, end: j + 1 };
  for (;;) {
    const end = valueEnd(b, j);
    value.push(parse(b.toString('utf8', j, end)));
    j = skipSpace(b, end);
    if (b[j] === CLOSE_BRACKET) return { value, end: j + 1 };
    if (b[j] !== COMMA) throw new NotTheShape();
    j = skipSpace(b, j + 1);
  }
}

/**
 * A JSON object parsed in pieces: each member's value, and each element of a member that is an
 * array, made into text and parsed by `parse` alone. The result equals `parse` of the whole (the
 * last of a repeated key wins, in its first place), but no piece is a large string: V8 makes a
 * string over 128 KiB (64 Ki characters once one is outside Latin-1) in its large-object space,
 * about seven times slower a byte than a small one, and a push of 50 sales is 110 KB of text with
 * Chinese in it: its decoding and parse took 1.19 ms, in pieces 0.49 (issue 18).
 *
 * Undefined where the text is not one object of that shape, a top-level key is written with
 * escapes or is `__proto__` or `constructor`, it has more than MAX_PIECES pieces, or
 * `parse` throws on a piece: the caller then parses the whole, and answers with its error.
 */
export function parseObjectInPieces(body: Buffer, parse: (text: string) => unknown): Record<string, unknown> | undefined {
  let pieces = 0;
  const parsePiece = (text: string): unknown => {
    pieces += 1;
    if (pieces > MAX_PIECES) throw new NotTheShape();
    return parse(text);
  };
  try {
    const out: Record<string, unknown> = {};
    let j = skipSpace(body, 0);
    if (body[j] !== OPEN_BRACE) return undefined;
    j = skipSpace(body, j + 1);
    if (body[j] === CLOSE_BRACE) j += 1;
    else
      for (;;) {
        const { key, end: keyEnd } = plainKey(body, j);
        j = skipSpace(body, keyEnd);
        if (body[j] !== COLON) return undefined;
        j = skipSpace(body, j + 1);
        if (body[j] === OPEN_BRACKET) {
          const array = arrayInPieces(body, j, parsePiece);
          out[key] = array.value;
          j = array.end;
        } else {
          const end = valueEnd(body, j);
          out[key] = parsePiece(body.toString('utf8', j, end));
          j = end;
        }
        j = skipSpace(body, j);
        if (body[j] === CLOSE_BRACE) {
          j += 1;
          break;
        }
        if (body[j] !== COMMA) return undefined;
        j = skipSpace(body, j + 1);
      }
    return skipSpace(body, j) === body.length ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `slice` as one line of JSON text PostgreSQL will take: undefined where its bytes are not valid
 * UTF-8 (the parsed value, with U+FFFD in their place, is stored instead). A line break in valid
 * JSON can only be space between tokens, so it becomes a space.
 */
export function storableJsonLine(slice: Buffer): Buffer | undefined {
  if (!isUtf8(slice)) return undefined;
  if (slice.indexOf(NEWLINE) < 0 && slice.indexOf(RETURN) < 0) return slice;
  const copy = Buffer.from(slice);
  for (let i = 0; i < copy.length; i += 1) if (copy[i] === NEWLINE || copy[i] === RETURN) copy[i] = SPACE;
  return copy;
}

const ESCAPED_NUL = Buffer.from('\\u0000');

/**
 * Whether a string of `value` (a key too) holds NUL, which PostgreSQL's JSON functions cannot give
 * as text: a stored document holding one would break every query that reads inside it. With the
 * bytes it was parsed from, only a value whose text has `\u0000` is walked. Iterative: any depth.
 */
export function holdsNul(value: unknown, bytes?: Buffer): boolean {
  if (bytes && bytes.indexOf(ESCAPED_NUL) < 0) return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (Array.isArray(item)) {
      for (const element of item) stack.push(element);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, member] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        stack.push(member);
      }
    }
  }
  return false;
}
