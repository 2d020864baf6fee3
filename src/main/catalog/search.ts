/**
 * Product search for the cashier: Chinese or English, substring, SKU prefix, a barcode typed in.
 *
 * Matching. The text is split on whitespace into terms; a product matches when every term is found
 * in its Chinese name, English name or SKU (case-insensitive for ASCII):
 *   - a term of 3+ characters: anywhere (FTS5 trigram index, product_fts);
 *   - a term of 1–2 characters with Chinese (or other non-ASCII) in it: anywhere in the Chinese
 *     name ("奶" and "奶茶" find 港式奶茶), through product_ngram;
 *   - a 2-character ASCII term: the start of an English word ("mi" finds Milk Tea, not Jasmine);
 *   - a 1-character ASCII term is too broad to filter by: alone, it only matches as a prefix;
 *   - the whole text also matches as a prefix of the SKU ("dri-00" finds DRI-0001) or of a name,
 *     and as a barcode or an exact SKU.
 * User text never reaches FTS5 as syntax: every term is one quoted string, so quotes, `*`, `AND`,
 * `NEAR(`, `:` or `^` are searched for as characters.
 *
 * Ranking, best first: (1) exact: the SKU, a name or a barcode equals the text; (2) prefix: the
 * SKU or a name starts with it; (3) the rest. Ties: favourites (by quick-key position), then
 * shorter names (the Chinese name when the text has Chinese, else the English one), then the
 * source index's order, then SKU.
 * The work per query is bounded whatever matches: each source gives at most POOL candidates in its
 * index's order, and only those are ranked. Classes (1) and (2) come from prefix ranges (in name
 * order); in class (3), 1–2-character queries read product_ngram, which is sorted by exactly the
 * key above, and 3+-character queries rank the shortest names among the first FTS_SCAN matches in
 * rowid order. (ORDER BY bm25 over every match costs 40–150 ms for "tea" or "family pack" on
 * 200,000 products, measured; the target is 20 ms.)
 */
import type { Db } from '../db/open';
import { PosError } from '../../shared/errors';
import { lookupByCode } from './lookup';
import { productsByIds, type CatalogProduct } from './product-rows';
import { prepared } from '../db/prepared';

export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 50;
/** Characters (code points) of search text; longer is a BAD_REQUEST, not a slow query. */
export const SEARCH_MAX_LENGTH = 100;
const MAX_TERMS = 8;
const POOL = 60;
const FTS_SCAN = 1000;
const TOP = '\u{10FFFF}'; // sorts after every character: [x, x + TOP) is the range of strings starting with x

export interface SearchOptions {
  /** Default 20; clamped to 1…50. */
  limit?: number;
}

export interface SearchQuery {
  /** Whitespace collapsed, ASCII lowercased. */
  text: string;
  /** 3+ characters: substring terms for FTS5. */
  long: string[];
  /** 1–2 characters, as product_ngram grams. A lone ASCII character is in neither list. */
  short: string[];
}

const codePoints = (s: string) => [...s].length;
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
// Characters product_ngram leaves out of grams (ASCII and common CJK punctuation, whitespace).
const UNINDEXED = /[\s!-/:-@[-`{-~\u3000、，。：；！？「」『』（）《》〈〉・·]/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Cleans user text into terms: control and format characters go, whitespace collapses, ASCII is
 * lowercased; 1–2-character terms lose punctuation (the n-gram index has none); duplicates go.
 * Throws BAD_REQUEST for text over SEARCH_MAX_LENGTH characters.
 */
export function parseSearchText(raw: string): SearchQuery {
  if (typeof raw !== 'string') throw new PosError('BAD_REQUEST', 'Search text must be a string');
  if (raw.length > SEARCH_MAX_LENGTH * 4) throw new PosError('BAD_REQUEST', `Search text is limited to ${SEARCH_MAX_LENGTH} characters`);
  const text = asciiLower(
    raw
      .replace(/\p{Cf}/gu, '')
      .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
      .replace(/\s+/gu, ' ')
      .trim(),
  );
  if (codePoints(text) > SEARCH_MAX_LENGTH) throw new PosError('BAD_REQUEST', `Search text is limited to ${SEARCH_MAX_LENGTH} characters`);
  const long: string[] = [];
  const short: string[] = [];
  for (const word of new Set(text.split(' ').filter(Boolean))) {
    if (long.length + short.length >= MAX_TERMS) break;
    if (codePoints(word) >= 3) {
      long.push(word);
      continue;
    }
    const gram = word.replace(UNINDEXED, '');
    // product_ngram holds Chinese 1/2-grams and 2-letter English word starts, nothing else.
    if ((/[\u0080-\u{10ffff}]/u.test(gram) || gram.length === 2) && !short.includes(gram)) short.push(gram);
  }
  return { text, long, short };
}

/** One FTS5 string per term, joined with AND: `"` doubled, everything else literal. */
export function ftsExpression(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}

interface CandidateRow {
  id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  favourite_rank: number | null;
}

export function searchProducts(db: Db, text: string, options: SearchOptions = {}): CatalogProduct[] {
  const query = parseSearchText(text);
  if (query.text === '') return [];
  const requested = options.limit ?? SEARCH_DEFAULT_LIMIT;
  const limit = Number.isFinite(requested) ? Math.min(SEARCH_MAX_LIMIT, Math.max(1, Math.floor(requested))) : SEARCH_DEFAULT_LIMIT;
  const pool = Math.max(POOL, limit * 2);
  const order = new Map<number, number>(); // candidate id → position in its source (the index's own order)
  const add = (ids: number[]) => ids.forEach((id, i) => order.set(id, Math.min(order.get(id) ?? Infinity, i)));
  const single = !query.text.includes(' ');
  const sku = query.text.replace(/[a-z]+/g, (m) => m.toUpperCase());
  const params: Record<string, string | number> = {
    pool,
    lo: query.text,
    hi: query.text + TOP,
    skuLo: sku,
    skuHi: sku + TOP,
    fts: ftsExpression(query.long),
  };
  query.short.forEach((gram, i) => (params[`g${i}`] = gram));
  const ids = (sql: string) => prepared<Record<string, string | number>, number>(db, sql).pluck().all(params);

  // 1. A barcode or an exact SKU typed into the search box.
  let exactId: number | null = null;
  if (single && /^[\x21-\x7e]+$/.test(text.trim())) {
    const hit = lookupByCode(db, text.trim());
    if (hit.kind === 'product' || hit.kind === 'embedded') exactId = hit.product.id;
  }
  if (exactId !== null) add([exactId]);

  // 2. SKU and name prefixes of the whole text.
  if (single) {
    add(ids('SELECT id FROM product WHERE active = 1 AND upper(sku) >= :skuLo AND upper(sku) < :skuHi ORDER BY upper(sku) LIMIT :pool'));
  }
  add(
    ids('SELECT id FROM product WHERE active = 1 AND lower(name_zh) >= :lo AND lower(name_zh) < :hi ORDER BY lower(name_zh) LIMIT :pool'),
  );
  add(
    ids('SELECT id FROM product WHERE active = 1 AND lower(name_en) >= :lo AND lower(name_en) < :hi ORDER BY lower(name_en) LIMIT :pool'),
  );

  // 3. Every term anywhere, in index order; and favourites that match wherever they are.
  // IN (…), not EXISTS: product_ngram has no index by product, so SQLite reads each gram's range
  // once into a temporary index instead of once per candidate.
  const gramFilter = (column: string, from: number) =>
    query.short
      .slice(from)
      .map((_, i) => ` AND ${column} IN (SELECT product_id FROM product_ngram WHERE gram = :g${i + from})`)
      .join('');
  const length = HAS_CJK.test(query.text) ? 'length(p.name_zh)' : 'length(p.name_en)';
  if (query.long.length > 0) {
    add(
      ids(
        `SELECT p.id FROM (SELECT rowid AS id FROM product_fts WHERE product_fts MATCH :fts${gramFilter('product_fts.rowid', 0)} LIMIT ${FTS_SCAN}) m
         JOIN product p ON p.id = m.id ORDER BY ${length}, p.id LIMIT :pool`,
      ),
    );
  } else if (query.short.length > 0) {
    // The 2-character gram is rarer than a 1-character one: read its range, filter by the others.
    const first = query.short.reduce((best, g, i) => (codePoints(g) > codePoints(query.short[best] as string) ? i : best), 0);
    [query.short[0], query.short[first]] = [query.short[first] as string, query.short[0] as string];
    query.short.forEach((gram, i) => (params[`g${i}`] = gram));
    add(ids(`SELECT n.product_id FROM product_ngram n WHERE n.gram = :g0${gramFilter('n.product_id', 1)} ORDER BY n.sort_key LIMIT :pool`));
  }
  if (query.long.length > 0) {
    // Favourites are few, and the first FTS_SCAN matches (rowid order) may not hold them.
    add(
      ids(
        `SELECT p.id FROM product p WHERE p.active = 1 AND p.favourite_rank IS NOT NULL
         AND EXISTS (SELECT 1 FROM product_fts WHERE product_fts MATCH :fts AND rowid = p.id)${gramFilter('p.id', 0)} LIMIT 200`,
      ),
    );
  }
  // (product_ngram's sort key already puts favourites first within each class.)

  // 4. Rank the candidates (a few hundred at most) and fetch the winners.
  const rows = prepared<{ ids: string }, CandidateRow>(
    db,
    'SELECT id, sku, name_zh, name_en, favourite_rank FROM product WHERE active = 1 AND id IN (SELECT value FROM json_each(:ids))',
  ).all({ ids: JSON.stringify([...order.keys()]) });
  const q = query.text;
  const cjk = HAS_CJK.test(q);
  const keyed = rows.map((row) => {
    const fields = [asciiLower(row.sku), asciiLower(row.name_zh), asciiLower(row.name_en)];
    const cls = row.id === exactId || fields.includes(q) ? 0 : fields.some((f) => f.startsWith(q)) ? 1 : 2;
    const fav = row.favourite_rank === null ? Infinity : row.favourite_rank;
    const len = codePoints(cjk ? row.name_zh : row.name_en);
    return { row, key: [cls, fav, len, order.get(row.id) ?? 0] as const };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return (a.key[i] as number) - (b.key[i] as number);
    return a.row.sku < b.row.sku ? -1 : a.row.sku > b.row.sku ? 1 : 0;
  });
  return productsByIds(
    db,
    keyed.slice(0, limit).map((k) => k.row.id),
  );
}
