import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsNul, parseObjectInPieces, payloadSlices, storableJsonLine } from '../../../cloud/domain/payload-bytes';

const text = (slices: (Buffer | undefined)[] | undefined) => slices?.map((s) => s?.toString('utf8'));

describe('payload bytes cut out of a push body', () => {
  it('gives each payload as it was written, whatever the spacing, key order and string content', () => {
    const body = `{
      "mutations" : [
        { "payload" : { "note": "a \\"quoted\\" ]} [{ \\\\", "payload": [1, {"x": null}] , "名": "旺角" }, "seq": 1, "kind": "document.sale", "ref": "R1" },
        {"seq":2,"kind":"k","ref":"R2","payload":-12.5e3},
        {"seq":3,"kind":"k","ref":"R3","payload":"\\u00e9\\\\"},
        {"seq":4,"kind":"k","ref":"R4","payload":true,"payload":{"last":"wins"}},
        {"seq":5,"kind":"k","ref":"R5"},
        {"seq":6,"kind":"k","ref":"R6","p\\u0061yload":{}}
      ],
      "extra": {"mutations": "not this one"}
    }`;
    expect(() => JSON.parse(body)).not.toThrow();
    expect(text(payloadSlices(Buffer.from(body)))).toEqual([
      '{ "note": "a \\"quoted\\" ]} [{ \\\\", "payload": [1, {"x": null}] , "名": "旺角" }',
      '-12.5e3',
      '"\\u00e9\\\\"',
      '{"last":"wins"}',
      undefined,
      // a key written with escapes is not recognised: the caller serialises the parsed value
      undefined,
    ]);
  });

  it('takes the last "mutations", as JSON.parse does, and refuses bodies of another shape', () => {
    expect(text(payloadSlices(Buffer.from('{"mutations":[{"payload":1}],"mutations":[{"payload":2},3]}')))).toEqual(['2', undefined]);
    expect(payloadSlices(Buffer.from('{"mutations":5}'))).toBeUndefined();
    expect(payloadSlices(Buffer.from('[{"payload":1}]'))).toBeUndefined();
    expect(payloadSlices(Buffer.from('{"other":[]}'))).toBeUndefined();
    expect(payloadSlices(Buffer.from('{"mutations":[]}'))).toEqual([]);
  });

  it('parses back to the very payloads JSON.parse gives, for any JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.boolean(), (payloads, pretty) => {
        const body = { mutations: payloads.map((payload, i) => ({ seq: i + 1, kind: 'k', ref: `R${i}`, payload })) };
        const bytes = Buffer.from(pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
        const parsed = JSON.parse(bytes.toString('utf8')) as typeof body;
        const slices = payloadSlices(bytes);
        expect(slices).toHaveLength(payloads.length);
        slices!.forEach((slice, i) => expect(JSON.parse(slice!.toString('utf8'))).toEqual(parsed.mutations[i]!.payload));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps bytes as one line of valid UTF-8 only', () => {
    expect(storableJsonLine(Buffer.from('{\n  "a": "b"\r\n}'))?.toString()).toBe('{   "a": "b"  }');
    const compact = Buffer.from('{"名":"旺角"}');
    expect(storableJsonLine(compact)).toBe(compact);
    // a lone continuation byte: JSON.parse saw U+FFFD there, which is what must be stored
    expect(storableJsonLine(Buffer.from([0x22, 0x80, 0x22]))).toBeUndefined();
  });

  it('finds a NUL in any string or key, at any depth, and trusts bytes without an escaped one', () => {
    expect(holdsNul(JSON.parse('{"a":[1,{"b":"x\\u0000"}]}'))).toBe(true);
    expect(holdsNul(JSON.parse('{"k\\u0000":1}'))).toBe(true);
    // a backslash followed by u0000, as text: no NUL
    const text = '{"a":"\\\\u0000"}';
    expect(JSON.parse(text).a).toBe('\\u0000');
    expect(holdsNul(JSON.parse(text), Buffer.from(text))).toBe(false);
    expect(holdsNul({ a: 'x\u0000' }, Buffer.from('{"a":"x"}'))).toBe(false); // the bytes decide when given
    const deep = JSON.parse(`${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}`);
    expect(holdsNul(deep)).toBe(true);
  });

  describe('an object parsed in pieces', () => {
    const inPieces = (text: string) => parseObjectInPieces(Buffer.from(text), (piece) => JSON.parse(piece) as unknown);
    /** Equal values with keys in the same order, as JSON.parse gives them. */
    /** Keys JSON writes without escapes (the ones pieces take). */
    const plainKey = fc.string().filter((key) => JSON.stringify(key) === `"${key}"`);
    const same = (text: string) => expect(JSON.stringify(inPieces(text))).toBe(JSON.stringify(JSON.parse(text)));

    it('equals JSON.parse of the whole, key order and repeated keys included, for any object', () => {
      fc.assert(
        fc.property(fc.dictionary(plainKey, fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))), fc.boolean(), (object, pretty) => {
          fc.pre(!('__proto__' in object) && !('constructor' in object));
          same(pretty ? JSON.stringify(object, null, 2) : JSON.stringify(object));
        }),
        { numRuns: 500 },
      );
      same('{"a":1,"b":[2],"a":[3,{"x":"旺角"}]}');
      same(' { "mutations" : [ {"seq":1} , "x" , -1.5e3 , null , [ ] ] , "ok" : true } ');
      same('{}');
      same('{"k":[]}');
      same('{"名":"\\u00e9 \\"quoted\\" ]} [{"}');
    });

    it('leaves to a parse of the whole what is not one well-formed object, and top-level keys with escapes or guarded', () => {
      for (const text of [
        '',
        '[1,2]',
        '"text"',
        '{"a":[1 2]}',
        '{"a":[1,]}',
        '{"a":1 "b":2}',
        '{"a" 1}',
        '{"a":1}{}',
        '{"a":1',
        '{"a":[1,2}',
        '{"a":{"b":1]}',
        '{"a":tru}',
        '{a:1}',
        '{"\\u0061":1}',
        '{"a\\tb":1}',
        '{"a\tb":1}',
        '{"a	b":1}',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
      ])
        expect(inPieces(text), JSON.stringify(text)).toBeUndefined();
      // more elements than a push can hold: cheaper parsed whole
      const many = `{"mutations":[${Array.from({ length: 2_001 }, () => '{}').join(',')}]}`;
      expect(inPieces(many)).toBeUndefined();
      expect(inPieces(`{"mutations":[${Array.from({ length: 1_999 }, () => '{}').join(',')}],"n":1}`)?.mutations).toHaveLength(1_999);
      expect(inPieces(`{${Array.from({ length: 2_001 }, (_, i) => `"k${i}":1`).join(',')}}`)).toBeUndefined();
      // a piece its parser refuses
      expect(
        parseObjectInPieces(Buffer.from('{"m":[{"ok":1},{"bad":1}]}'), (piece) => {
          if (piece.includes('bad')) throw new SyntaxError('refused');
          return JSON.parse(piece) as unknown;
        }),
      ).toBeUndefined();
    });

    it('decodes bytes that are not UTF-8 as a parse of the whole does', () => {
      const bytes = Buffer.concat([
        Buffer.from('{"a":["'),
        Buffer.from([0xe4, 0xb8]),
        Buffer.from('",1],"b":"'),
        Buffer.from([0x80]),
        Buffer.from('"}'),
      ]);
      expect(parseObjectInPieces(bytes, (piece) => JSON.parse(piece) as unknown)).toEqual(JSON.parse(bytes.toString('utf8')));
    });
  });
});
