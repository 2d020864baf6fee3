/**
 * The audit log shows people's words (issue 10): every event kind main can write, and every detail
 * it records with one, has a label in Chinese and in English.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditKinds } from '../../../src/main/audit/audit-log';
import { en } from '../../../src/renderer/i18n/en';
import { zhHK } from '../../../src/renderer/i18n/zh-HK';

const keyOf = (kind: string) => kind.replace(/[.-]/g, '_');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The object literal after each `detail:` in an `audit.append({ … })`, brace-matched. */
function detailLiterals(source: string): string[] {
  const found: string[] = [];
  for (const call of source.matchAll(/audit\.append\(\{/g)) {
    const next = source.indexOf('audit.append(', call.index + 1);
    const at = source.indexOf('detail:', call.index);
    const open = source.indexOf('{', at);
    // A call without a literal detail (none, or a variable) has nothing to scan here.
    if (at < 0 || open < 0 || (next >= 0 && at > next) || source.slice(at + 'detail:'.length, open).trim() !== '') continue;
    let depth = 0;
    for (let i = open; i < source.length; i++) {
      if (source[i] === '{') depth++;
      if (source[i] === '}' && --depth === 0) {
        found.push(source.slice(open, i + 1));
        break;
      }
    }
  }
  return found;
}

/** The keys an object literal writes, at any depth (conditional spreads included): `key:` and shorthand `{ key,`. */
function literalKeys(literal: string): string[] {
  const keys = [...literal.matchAll(/\b([a-zA-Z_]\w*)\s*:(?!:)/g), ...literal.matchAll(/[{,]\s*([a-zA-Z_]\w*)\s*(?=[,}])/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(keys)];
}

const writtenDetailKeys = [
  ...new Set(sourceFiles('src/main').flatMap((file) => detailLiterals(readFileSync(file, 'utf8')).flatMap(literalKeys))),
].sort();

describe('audit log words', () => {
  it('every audit event kind has a label in both languages', () => {
    for (const kind of auditKinds) {
      expect(zhHK.auditAdmin.kindName, kind).toHaveProperty(keyOf(kind));
      expect(en.auditAdmin.kindName, kind).toHaveProperty(keyOf(kind));
    }
  });

  it('every detail main records with an event has a label in both languages', () => {
    expect(writtenDetailKeys).toContain('withoutReceipt'); // the scan finds what it should
    expect(writtenDetailKeys).toContain('roleBefore'); // …including keys in conditional spreads
    for (const key of writtenDetailKeys) {
      if (key === 'withoutReceipt') continue; // shown as a word (有收據 / 無收據), not as a label
      expect(zhHK.auditAdmin.detailName, key).toHaveProperty(key);
      expect(en.auditAdmin.detailName, key).toHaveProperty(key);
    }
  });
});
