/**
 * The content hash of a mutation. The register may serialise the same outbox row with keys in a
 * different order on a retry (a new app version, a re-parse), so the hash is taken over JSON with
 * object keys sorted at every depth: equal content, equal hash.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function mutationContentHash(kind: string, ref: string, payload: unknown): Buffer {
  return createHash('sha256').update(canonicalJson({ kind, ref, payload }), 'utf8').digest();
}
