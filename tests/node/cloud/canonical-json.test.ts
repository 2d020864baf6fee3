import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, mutationContentHash } from '../../../cloud/domain/canonical-json';

/** The text built piece by piece, as the cloud hashed every mutation before issue 18's rewrite. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => reference(item === undefined ? null : item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
  return `{${members.join(',')}}`;
}

describe('canonical JSON and the mutation content hash', () => {
  it('keeps the hashes applied_mutation already holds: a replay of an old push is still a duplicate', () => {
    const payload = {
      receiptNo: 'S1-01-000007',
      lines: [{ sku: 'A', qty: 2, nameZh: '茶', note: undefined }],
      '10': 'ten',
      '9': 'nine',
      empty: {},
      list: [null, undefined, 1.5, -0, 'é\u2028'],
      nested: { z: true, a: false },
    };
    // the values the implementation before the rewrite gave for these inputs
    expect(canonicalJson(payload)).toBe(
      '{"10":"ten","9":"nine","empty":{},"lines":[{"nameZh":"茶","qty":2,"sku":"A"}],"list":[null,null,1.5,0,"é\u2028"],"nested":{"a":false,"z":true},"receiptNo":"S1-01-000007"}',
    );
    expect(mutationContentHash('document.sale', 'S1-01-000007', { ...payload, __proto__x: 1 }).toString('hex')).toBe(
      '9a88ff2f960791f33cd6b054a505d09f6cd2d5d3968f2ca4097c80d18904f3a9',
    );
    expect(mutationContentHash('k', 'r', { b: { '2': 1, '10': 2, x: [{ '1': 'a' }] } }).toString('hex')).toBe(
      'fbddd18064958c59d41a4781b34a01ba9aeb7debab623c38b0e5cd1811b1b052',
    );
  });

  it('sorts "10" before "9" and keeps a parsed "__proto__" member as data', () => {
    expect(canonicalJson({ b: 1, '9': 2, '10': 3 })).toBe('{"10":3,"9":2,"b":1}');
    const parsed: unknown = JSON.parse('{"z":1,"__proto__":{"polluted":true},"a":[{"__proto__":2}]}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"a":[{"__proto__":2}],"z":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives the reference text for any JSON value, whatever the order its keys arrived in', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '9', '10', '01', '-1', '4294967295', '__proto__'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 8 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        // through text, as a push arrives: own "__proto__" members, keys in the sender's order
        const parsed: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
        expect(canonicalJson(parsed)).toBe(reference(parsed));
        expect(JSON.parse(canonicalJson(parsed))).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });
});
