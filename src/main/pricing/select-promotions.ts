/**
 * Which promotion prices which unit of the cart. The rules (receipts and tests follow them):
 *
 * - One promotion per unit; promotions never stack. Every unit of a bundle or buy-X-get-Y group
 *   (the paying ones too) is used up by it and gets nothing else. There is no "stackable" flag on
 *   purpose: stacked savings depend on the order they are applied in, and a receipt line could no
 *   longer say which deal priced it. "Bakery 10 % off, members 5 % more" is one member promotion at
 *   15 %.
 * - Which lines: price-overridden lines get none (the caller leaves them out); embedded-price lines
 *   (a deli label) get only `percent`; weighed lines (or any decimal quantity) get `percent` and
 *   `member_price` but never count as units for `bundle` or `buy_x_get_y`.
 * - Per-unit promotions (`percent`, `member_price`): a line's units get the one saving most per unit.
 * - Group promotions (`bundle`, `buy_x_get_y`): qualifying units are ranked by unit price, high to
 *   low (lineId breaks ties) and cut into consecutive groups of the promotion's size. A buy-X-get-Y
 *   group rewards its cheapest `getQuantity` units; a bundle group costs the bundle price, split over
 *   its units in proportion to their prices. Ranking high to low is the grouping that saves the
 *   customer most: 18, 18, 16 under "buy 2 get 1 free" make one group and the 16 is free.
 *   A group is kept only when it saves more than the per-unit promotions its units give up; on an
 *   exact tie the per-unit promotions stay.
 * - Choosing between group promotions is greedy: the one whose kept groups save the most (over what
 *   their units would get otherwise) is committed first, then the rest are planned again on the
 *   units still free, until none saves anything. Units left over get their line's per-unit promotion.
 * - Equal savings go to the higher priority, then the lower id. Lines are taken in lineId order, so
 *   the outcome does not depend on the order lines or promotions arrive in.
 *
 * Where the greedy is not optimal (pinned by a test): one promotion can take units that two others
 * would have used for a larger combined saving. A, B, C, D at HK$10 with "any 4 of ABCD for HK$20"
 * (saves 20), "A + B for HK$5" and "C + D for HK$5" (save 15 each): the greedy commits the 20, the
 * best is 30. And a group skipped for saving too little is not re-cut with other units. Exact
 * selection is set packing; counter carts rarely hold overlapping group deals, and a rule staff can
 * predict matters more than the last dollar in those rare carts.
 */
import { allocate, FULL_BASIS_POINTS, lineAmount, percentOf, type Cents } from '../../shared/money';
import { byPrecedence, productSetMatcher, type LineMatcher } from './promotion-match';
import type { Promotion } from './promotion-schema';
import type { AppliedPromotion, CartLineInput } from './types';

type PerUnitPromotion = Extract<Promotion, { kind: 'percent' | 'member_price' }>;
type GroupPromotion = Extract<Promotion, { kind: 'bundle' | 'buy_x_get_y' }>;

/**
 * Savings are compared in 1/10,000 of a cent: a percent of a unit price is a whole number in that
 * unit, so comparisons are exact and ties are real ties. Per unit that is at most 10^12, per group
 * (at most 99 units) 10^14: still exact in a double; sums over many groups go through BigInt.
 */
const SCALE = FULL_BASIS_POINTS;

interface LineState {
  line: CartLineInput;
  /** Whole units still free for group promotions (0 for lines that never count as units). */
  freeUnits: number;
  bestPerUnit: PerUnitPromotion | null;
  /** Scaled saving per unit of bestPerUnit: what a unit gives up by joining a group. */
  perUnitSavingScaled: number;
  /**
   * Group promotions committed on this line, in the order committed (each promotion commits once).
   * An array, not a Map: a state is made for every line of the cart on every price, and 300 Maps
   * a scan were a good part of the kiosk host's garbage (issue 18).
   */
  groupTakes: { promotion: GroupPromotion; units: number; saving: Cents }[];
}

function countsAsUnits(line: CartLineInput): boolean {
  return !line.weighed && !line.embeddedPrice && Number.isInteger(line.quantity);
}

function perUnitSavingScaled(promotion: PerUnitPromotion, line: CartLineInput, matches: LineMatcher): number {
  if (promotion.kind === 'percent') return matches(line) ? line.unitPrice * promotion.params.basisPoints : 0;
  if (line.embeddedPrice) return 0;
  const entry = promotion.params.prices.find((p) => p.sku === line.sku);
  return entry ? Math.max(0, line.unitPrice - entry.unitPrice) * SCALE : 0;
}

function perUnitSaving(promotion: PerUnitPromotion, line: CartLineInput, quantity: number): Cents {
  const full = lineAmount(line.unitPrice, quantity);
  if (promotion.kind === 'percent') return percentOf(full, promotion.params.basisPoints);
  const entry = promotion.params.prices.find((p) => p.sku === line.sku);
  return entry ? Math.max(0, full - lineAmount(entry.unitPrice, quantity)) : 0;
}

/** One group cut from the ranked runs: how many units from each run, repeated `times` identically. */
interface Group {
  parts: { run: number; units: number }[];
  times: number;
}

/** Consecutive groups of `size` over runs of units; whole groups inside one run are batched. */
function* groupsOf(runLengths: readonly number[], size: number): Generator<Group> {
  let run = 0;
  let used = 0;
  const advance = (units: number) => {
    used += units;
    if (used === runLengths[run]) {
      run += 1;
      used = 0;
    }
  };
  while (run < runLengths.length) {
    const left = (runLengths[run] as number) - used;
    if (left >= size) {
      const times = Math.floor(left / size);
      yield { parts: [{ run, units: size }], times };
      advance(times * size);
      continue;
    }
    const parts: Group['parts'] = [];
    let needed = size;
    while (needed > 0 && run < runLengths.length) {
      const units = Math.min(needed, (runLengths[run] as number) - used);
      parts.push({ run, units });
      needed -= units;
      advance(units);
    }
    if (needed > 0) return;
    yield { parts, times: 1 };
  }
}

/** The saving of each part of one group, in cents. Parts come ranked high to low. */
function groupSavings(promotion: GroupPromotion, parts: Group['parts'], prices: readonly Cents[]): Cents[] {
  if (promotion.kind === 'buy_x_get_y') {
    let rewards = promotion.params.getQuantity;
    const savings = parts.map(() => 0);
    for (let i = parts.length - 1; i >= 0 && rewards > 0; i--) {
      const part = parts[i] as Group['parts'][number];
      const rewarded = Math.min(rewards, part.units);
      savings[i] = rewarded * percentOf(prices[part.run] as Cents, promotion.params.rewardBasisPoints);
      rewards -= rewarded;
    }
    return savings;
  }
  const unitPrices = parts.flatMap((part) => Array.from({ length: part.units }, () => prices[part.run] as Cents));
  const shares = allocate(promotion.params.price, unitPrices);
  let unit = 0;
  return parts.map((part) => {
    let saving = 0;
    for (let k = 0; k < part.units; k++, unit++) saving += (unitPrices[unit] as Cents) - (shares[unit] as Cents);
    return saving;
  });
}

interface Plan {
  promotion: GroupPromotion;
  /** Scaled saving over what the units would get from their per-unit promotions. */
  gain: bigint;
  takes: { state: LineState; units: number; saving: Cents }[];
}

function planGroupPromotion(promotion: GroupPromotion, states: readonly LineState[], matches: LineMatcher): Plan {
  const runs = states
    .filter((s) => s.freeUnits > 0 && matches(s.line))
    .sort((a, b) => b.line.unitPrice - a.line.unitPrice || a.line.lineId - b.line.lineId);
  const size = promotion.kind === 'bundle' ? promotion.params.quantity : promotion.params.buyQuantity + promotion.params.getQuantity;
  const prices = runs.map((s) => s.line.unitPrice);
  const takes = runs.map((state) => ({ state, units: 0, saving: 0 }));
  let gain = 0n;
  for (const group of groupsOf(
    runs.map((s) => s.freeUnits),
    size,
  )) {
    const savings = groupSavings(promotion, group.parts, prices);
    let groupGain = 0;
    group.parts.forEach((part, i) => {
      groupGain += (savings[i] as Cents) * SCALE - part.units * (runs[part.run] as LineState).perUnitSavingScaled;
    });
    if (groupGain <= 0) continue;
    gain += BigInt(groupGain) * BigInt(group.times);
    group.parts.forEach((part, i) => {
      const take = takes[part.run] as Plan['takes'][number];
      take.units += part.units * group.times;
      take.saving += (savings[i] as Cents) * group.times;
    });
  }
  return { promotion, gain, takes: takes.filter((t) => t.units > 0) };
}

function bestPerUnitPromotion(state: LineState, perUnit: readonly PerUnitPromotion[], matchers: ReadonlyMap<number, LineMatcher>): void {
  for (const promotion of perUnit) {
    const saving = perUnitSavingScaled(promotion, state.line, matchers.get(promotion.id) as LineMatcher);
    // perUnit is in precedence order: a later promotion must save strictly more to win.
    if (saving > state.perUnitSavingScaled) {
      state.bestPerUnit = promotion;
      state.perUnitSavingScaled = saving;
    }
  }
}

function commitGroupPromotions(
  states: readonly LineState[],
  grouped: readonly GroupPromotion[],
  matchers: ReadonlyMap<number, LineMatcher>,
): void {
  let pending = [...grouped];
  for (;;) {
    let chosen: Plan | null = null;
    for (const promotion of pending) {
      const plan = planGroupPromotion(promotion, states, matchers.get(promotion.id) as LineMatcher);
      // pending is in precedence order: on equal gain the earlier plan stays chosen.
      if (plan.gain > 0n && (chosen === null || plan.gain > chosen.gain)) chosen = plan;
    }
    if (chosen === null) return;
    for (const take of chosen.takes) {
      take.state.freeUnits -= take.units;
      take.state.groupTakes.push({ promotion: chosen.promotion, units: take.units, saving: take.saving });
    }
    const committed = chosen.promotion;
    pending = pending.filter((p) => p !== committed);
  }
}

function applied(promotion: Promotion, quantity: number, amount: Cents): AppliedPromotion {
  return {
    id: promotion.id,
    code: promotion.code,
    nameZh: promotion.nameZh,
    nameEn: promotion.nameEn,
    kind: promotion.kind,
    quantity,
    amount,
  };
}

/**
 * The promotions each line gets, by lineId. `lines` must not include price-overridden lines;
 * `promotions` must be the ones in effect (see isInEffect). Lines without a promotion are absent.
 */
export function selectPromotions(lines: readonly CartLineInput[], promotions: readonly Promotion[]): Map<number, AppliedPromotion[]> {
  const ordered = [...promotions].sort(byPrecedence);
  const matchers = new Map<number, LineMatcher>(
    ordered.map((p) => [p.id, p.kind === 'member_price' ? () => false : productSetMatcher(p.params.target)]),
  );
  const perUnit = ordered.filter((p): p is PerUnitPromotion => p.kind === 'percent' || p.kind === 'member_price');
  const grouped = ordered.filter((p): p is GroupPromotion => p.kind === 'bundle' || p.kind === 'buy_x_get_y');

  const states: LineState[] = [...lines]
    .sort((a, b) => a.lineId - b.lineId)
    .map((line) => ({
      line,
      freeUnits: countsAsUnits(line) ? line.quantity : 0,
      bestPerUnit: null,
      perUnitSavingScaled: 0,
      groupTakes: [],
    }));
  for (const state of states) bestPerUnitPromotion(state, perUnit, matchers);
  commitGroupPromotions(states, grouped, matchers);

  const result = new Map<number, AppliedPromotion[]>();
  for (const state of states) {
    const entries: { promotion: Promotion; applied: AppliedPromotion }[] = [];
    let takenUnits = 0;
    for (const take of state.groupTakes) {
      takenUnits += take.units;
      // Paying units of a buy-X-get-Y group save nothing themselves; the line shows only real savings.
      if (take.saving > 0) entries.push({ promotion: take.promotion, applied: applied(take.promotion, take.units, take.saving) });
    }
    const rest = state.line.quantity - takenUnits;
    if (state.bestPerUnit && rest > 0) {
      const saving = perUnitSaving(state.bestPerUnit, state.line, rest);
      if (saving > 0) entries.push({ promotion: state.bestPerUnit, applied: applied(state.bestPerUnit, rest, saving) });
    }
    if (entries.length > 0)
      result.set(
        state.line.lineId,
        entries.sort((a, b) => byPrecedence(a.promotion, b.promotion)).map((e) => e.applied),
      );
  }
  return result;
}
