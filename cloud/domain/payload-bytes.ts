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

/** `b[i]` begins a value: the index after it. Plain loops over the bytes (an indexOf per string was twice as slow). */
function valueEnd(b: Buffer, i: number): number {
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < b.length; j += 1) {
      const c = b[j];
      if (c === QUOTE) j = stringEnd(b, j) - 1;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    throw new NotTheShape();
  }
  // a number, true, false or null
  let j = i;
  while (j < b.length && b[j] !== COMMA && b[j] !== CLOSE_BRACE && b[j] !== CLOSE_BRACKET && !isSpace(b[j])) j += 1;
  if (j === i) throw new NotTheShape();
  return j;
}

/** The members of the object opening at `b[i]`, as [key bytes, value start, value end]. */
function* members(b: Buffer, i: number): Generator<[Buffer, number, number]> {
  if (b[i] !== OPEN_BRACE) throw new NotTheShape();
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_BRACE) return;
  for (;;) {
    if (b[j] !== QUOTE) throw new NotTheShape();
    const keyEnd = stringEnd(b, j);
    const key = b.subarray(j + 1, keyEnd - 1);
    j = skipSpace(b, keyEnd);
    j = skipSpace(b, j + 1); // the colon
    const end = valueEnd(b, j);
    yield [key, j, end];
    j = skipSpace(b, end);
    if (b[j] === CLOSE_BRACE) return;
    j = skipSpace(b, j + 1); // the comma
  }
}

/** The elements of the array opening at `b[i]`, as [start, end]. */
function* elements(b: Buffer, i: number): Generator<[number, number]> {
  if (b[i] !== OPEN_BRACKET) throw new NotTheShape();
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_BRACKET) return;
  for (;;) {
    const end = valueEnd(b, j);
    yield [j, end];
    j = skipSpace(b, end);
    if (b[j] === CLOSE_BRACKET) return;
    j = skipSpace(b, j + 1);
  }
}

const MUTATIONS = Buffer.from('mutations');
const PAYLOAD = Buffer.from('payload');

/** The value of `key` in the object at `b[i]`: the last one, as JSON.parse takes it. */
function memberValue(b: Buffer, i: number, key: Buffer): [number, number] | undefined {
  let found: [number, number] | undefined;
  for (const [name, start, end] of members(b, i)) if (name.equals(key)) found = [start, end];
  return found;
}

/**
 * Each mutation's payload bytes, in the order of the body's `mutations` array (undefined for one
 * that cannot be cut out); undefined when the body is not `{"mutations": [...]}`.
 */
export function payloadSlices(body: Buffer): (Buffer | undefined)[] | undefined {
  try {
    const start = skipSpace(body, 0);
    const list = memberValue(body, start, MUTATIONS);
    if (!list) return undefined;
    const slices: (Buffer | undefined)[] = [];
    for (const [elementStart] of elements(body, list[0])) {
      const payload = body[elementStart] === OPEN_BRACE ? memberValue(body, elementStart, PAYLOAD) : undefined;
      slices.push(payload && body.subarray(payload[0], payload[1]));
    }
    return slices;
  } catch (error) {
    if (error instanceof NotTheShape) return undefined;
    throw error;
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
