/**
 * The content hash of a mutation. The register may serialise the same outbox row with keys in a
 * different order on a retry (a new app version, a re-parse), so the hash is taken over JSON with
 * object keys sorted at every depth: equal content, equal hash.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i] === undefined ? null : value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Plain < and > on keys: the same order as before (UTF-16 code units), without a comparator per pair.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

export function mutationContentHash(kind: string, ref: string, payload: unknown): Buffer {
  return createHash('sha256').update(canonicalJson({ kind, ref, payload }), 'utf8').digest();
}
