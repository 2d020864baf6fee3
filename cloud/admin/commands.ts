/**
 * The admin CLI's commands, as a function of (argv, deps) so tests run them without a process.
 * Output is JSON on `out` (one document per command), except enrol-code, which prints the code
 * alone so a script can capture it; people-facing notes go to `err`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminError, CloudError } from '../errors';
import { recordAudit } from '../hq/audit';
import { Email, NewPassword, Role } from '../hq/contract';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, generatePassword } from '../hq/passwords';
import { createUser } from '../hq/users';
import type { Pool } from '../db/pool';
import { loadMigrations, migrate } from '../db/migrate';
import { withTransaction } from '../db/tx';
import { setPrice, upsertMember, upsertProduct, upsertPromotion } from '../domain/catalogue';
import { pruneChanges } from '../domain/change-log';
import type { Clock } from '../domain/clock';
import { issueEnrolmentCode } from '../domain/enrolment';
import { createMerchant, createStore, resolveMerchant, resolveStore, suggestStoreCode } from '../domain/merchants';
import { recordOnlineOrder } from '../domain/online-orders';
import { cancelPurchaseOrder, createPurchaseOrder, listPurchaseOrders } from '../domain/purchase-orders';
import { listQuarantine, resolveQuarantine } from '../domain/quarantine';
import { listRegisters, revokeRegister } from '../domain/registers';
import { salesSummary } from '../domain/reports';
import { listUpdateRollout, setUpdateVersion } from '../domain/update-rollout';
import { setReorderLevel } from '../domain/reorder-levels';
import { recordStockEntry } from '../domain/stock-admin';
import { createShopKey, listShopKeys, parseScopes, revokeShopKey } from '../domain/shop-keys';
import { listLedgerExceptions } from '../domain/ledger-exceptions';
import { closeAuditEntry, closeReturnPoints, listPendingReturnPoints } from '../domain/pending-return-points';
import { adjustBalance, loadRules, setRules, type MemberRules } from '../domain/members';
import { giftCardDetail, hashGiftCardCode, issueGiftCards, voidGiftCard } from '../domain/gift-cards';

export interface AdminDeps {
  pool: Pool;
  clock: Clock;
  /** Every command first brings the database up to date, as the server does on start. */
  migrationsDir: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Standard input as text (create-user --password-stdin). */
  stdin?: () => Promise<string>;
}

export const USAGE = `Usage: npm run cloud:admin -- <command> [arguments]   (reads DATABASE_URL)

  migrate
  create-merchant <name>
  create-store <name>                                   short form: code from the name; creates a
                                                        merchant "Default" when there is none
  create-store <merchantId|name> <code> <nameZh> <nameEn> [--address-zh ..] [--address-en ..] [--phone ..]
  list-stores
  enrol-code <store> [--ttl-minutes 60]                 prints the one-time code
  list-registers
  update-rollout [<version>|any|follow] [--store <code>]
                                                        staged rollout of register updates: the newest app version
                                                        the merchant's registers (or one store's, with --store) may
                                                        install; any: no limit; follow: the store follows the merchant.
                                                        Without a version, shows the rollout per store
  revoke-register <registerId>
  upsert-product <json|@file>                           {sku,nameZh,nameEn,categoryCode?,taxClass?,active?,barcodes?,price?,
                                                        parentSku?,optionZh?,optionEn?} (a variant names its parent); an array for many
  set-price <sku> <cents> [--from <iso date-time>]
  upsert-promotion <json|@file>                         {code,nameZh,nameEn,kind,params,priority?,startsAt?,endsAt?,active?}
  upsert-member <json|@file>                            {code,name,phone?,tier?,active?}
  member-rules [<json|@file>]                           shows, or sets {earnCentsPerPoint,tierMultipliers:{gold:2},
                                                        excludedCategories,pointsPerDollar,offlineLimitCents}: a new
                                                        version, pulled by every register
  adjust-balance <memberCode> <points|credit> <amount> --reason <why> --ref <unique note>
                                                        signed amount (points, or cents of credit); never below 0
  list-ledger-exceptions [--closed]                     {exceptions: overdrafts, documents naming an unknown member, gift card
                                                        problems; returnPointsWaiting: returns whose points wait for their
                                                        original sale (id, waitedMs)}; --closed: the resolved and closed ones
  close-return-points <id> --reason <why>               a waiting return whose original will never come takes no points, ever
  issue-gift-cards <count> [--value <cents>] [--batch <name>]
                                                        prints the new cards' codes, once (only their hashes are kept);
                                                        without --value they are loaded when a till sells them,
                                                        with it they are vouchers, active at once
  gift-card <code>                                      a card's status, balance and ledger (by its code as printed)
  void-gift-card <code> --reason <why>                  the card is refused at every till from their next pull
  receive-stock <store> <sku> <quantity> --ref <note> [--reason receive|adjust|count|transfer]
  set-reorder <store> <sku> <quantity|none>  (a store's reorder level; its registers pull it)
                                                        quantity signed: -25 takes 25 off (an adjustment)
  create-po <store> <json|@file>                        a purchase order for the store's registers to receive against:
                                                        {poNo,supplier?,lines:[{sku,quantity,costCents?}]}
  list-pos                                              purchase orders, newest first, ordered vs received per line
  cancel-po <poNo>                                      calls an open purchase order off: the registers stop offering it
  record-online-order <json|@file>                      {orderNo,store,lines:[{sku,quantity,unitPrice}],payments?,kind?,member?:{code}}
  create-shop-key <label> [--scopes orders,members]     prints a key for the online shop (spk_…) once;
                                                        only its hash is kept
  list-shop-keys
  revoke-shop-key <id|prefix>                           the key stops working at once
  list-quarantine [--all] [--limit 100]
  resolve-quarantine <id>
  sales-summary [--from <YYYY-MM-DD|iso>] [--to <YYYY-MM-DD (inclusive)|iso>]
  prune-changes --through <version>
  create-user <email> --role owner|hq_manager|store_manager|viewer [--name ..] [--store <code>]... [--password-stdin]
                                                        a head office console user (the first owner, say);
                                                        without --password-stdin a password is made and printed once

  --merchant <id|name> picks the merchant when there are several.`;

const options = {
  merchant: { type: 'string' },
  'ttl-minutes': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  ref: { type: 'string' },
  reason: { type: 'string' },
  'address-zh': { type: 'string' },
  'address-en': { type: 'string' },
  phone: { type: 'string' },
  limit: { type: 'string' },
  through: { type: 'string' },
  all: { type: 'boolean' },
  closed: { type: 'boolean' },
  scopes: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  store: { type: 'string', multiple: true },
  'password-stdin': { type: 'boolean' },
  value: { type: 'string' },
  batch: { type: 'string' },
} as const;

/**
 * A negative quantity (`receive-stock MK01 BAK-0012 -25`) is an argument, not an option: every
 * option is `--long`, so `-` and a digit is always a number. It goes through parseArgs behind a
 * U+2212 minus sign and comes back a hyphen.
 */
const NEGATIVE_NUMBER = /^-\d/;
const shieldNegativeNumber = (arg: string): string => (NEGATIVE_NUMBER.test(arg) ? `\u2212${arg.slice(1)}` : arg);
const unshieldNegativeNumber = (arg: string): string => (/^\u2212\d/.test(arg) ? `-${arg.slice(1)}` : arg);

function usage(message: string): AdminError {
  return new AdminError('USAGE', `${message}\n\n${USAGE}`);
}

function json(text: string | undefined, what: string): unknown {
  if (text === undefined) throw usage(`${what}: give the JSON (or @file)`);
  const source = text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new AdminError('INVALID', `${what} is not valid JSON`);
  }
}

function integer(text: string | undefined, what: string, min: number, max: number): number {
  if (text === undefined || !/^-?\d{1,15}$/.test(text) || Number(text) < min || Number(text) > max)
    throw usage(`${what} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) throw usage(`${what} must be an ISO date-time, like 2025-07-01T00:00:00+08:00`);
  return ms;
}

/** Midnight of a calendar day in the merchant's time zone. */
async function dayStart(pool: Pool, merchantId: number, day: string, plusDays = 0): Promise<number> {
  const row = (
    await pool.query<{ start: Date }>(
      'SELECT (($2::date + $3::int)::timestamp AT TIME ZONE m.time_zone) AS start FROM merchant m WHERE m.id = $1',
      [merchantId, day, plusDays],
    )
  ).rows[0];
  return (row as { start: Date }).start.getTime();
}

async function boundary(pool: Pool, merchantId: number, text: string | undefined, inclusiveDay: boolean): Promise<number | undefined> {
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return dayStart(pool, merchantId, text, inclusiveDay ? 1 : 0);
  return instant(text, 'a date');
}

const many = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

export async function runAdmin(argv: string[], deps: AdminDeps): Promise<void> {
  const { pool, clock, out, err } = deps;
  let parsed;
  try {
    parsed = parseArgs({ args: argv.map(shieldNegativeNumber), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values } = parsed;
  const [command, ...args] = parsed.positionals.map(unshieldNegativeNumber);
  const print = (value: unknown) => out(JSON.stringify(value, null, 2));
  const merchant = () => resolveMerchant(pool, values.merchant);
  if (command === undefined) throw usage('No command given');
  const applied = await migrate(pool, loadMigrations(deps.migrationsDir));

  switch (command) {
    case 'migrate': {
      print({ applied });
      return;
    }
    case 'create-merchant': {
      if (args.length !== 1) throw usage('create-merchant takes one name');
      print(await createMerchant(pool, args[0] as string));
      return;
    }
    case 'create-store': {
      if (args.length === 1) {
        const name = args[0] as string;
        const m = await resolveMerchant(pool, values.merchant, { createDefault: true });
        const code = await suggestStoreCode(pool, m.id, name);
        print(
          await createStore(pool, m.id, {
            code,
            nameZh: name,
            nameEn: name,
            addressZh: values['address-zh'],
            addressEn: values['address-en'],
            phone: values.phone,
          }),
        );
        return;
      }
      if (args.length !== 4) throw usage('create-store takes <name>, or <merchantId|name> <code> <nameZh> <nameEn>');
      const [merchantRef, code, nameZh, nameEn] = args as [string, string, string, string];
      const m = await resolveMerchant(pool, merchantRef);
      print(
        await createStore(pool, m.id, {
          code,
          nameZh,
          nameEn,
          addressZh: values['address-zh'],
          addressEn: values['address-en'],
          phone: values.phone,
        }),
      );
      return;
    }
    case 'list-stores': {
      const m = values.merchant === undefined ? null : await merchant();
      const rows = (
        await pool.query(
          'SELECT id, merchant_id AS "merchantId", code, name_zh AS "nameZh", name_en AS "nameEn" FROM store WHERE $1::bigint IS NULL OR merchant_id = $1 ORDER BY merchant_id, code',
          [m?.id ?? null],
        )
      ).rows;
      print(rows);
      return;
    }
    case 'enrol-code': {
      if (args.length !== 1) throw usage('enrol-code takes one store (id, code or name)');
      const m = values.merchant === undefined ? undefined : (await merchant()).id;
      const store = await resolveStore(pool, args[0] as string, m);
      const ttlMinutes = values['ttl-minutes'] === undefined ? 60 : integer(values['ttl-minutes'], '--ttl-minutes', 1, 10_080);
      const issued = await issueEnrolmentCode(pool, store.id, { ttlMinutes, now: clock.now() });
      out(issued.code);
      err(`One-time enrolment code for store ${store.code} (${store.nameEn}), valid until ${new Date(issued.expiresAt).toISOString()}`);
      return;
    }
    case 'list-registers': {
      const m = values.merchant === undefined ? undefined : (await merchant()).id;
      print(await listRegisters(pool, m === undefined ? {} : { merchantId: m }));
      return;
    }
    case 'update-rollout': {
      const m = await merchant();
      if (args.length > 1) throw usage('update-rollout takes at most one version');
      const stores = values.store ?? [];
      if (stores.length > 1) throw usage('update-rollout takes one --store at a time');
      const [word] = args;
      if (word !== undefined) {
        const storeRef = stores[0];
        const storeId = storeRef === undefined ? undefined : (await resolveStore(pool, storeRef, m.id)).id;
        if (word === 'follow' && storeId === undefined) throw usage('follow is for a store (--store <code>): it follows the merchant');
        if (word === 'any' && storeId !== undefined)
          throw usage('any is for the merchant; a store that should follow it: follow --store <code>');
        const version = word === 'any' || word === 'follow' ? null : word;
        await setUpdateVersion(pool, storeId === undefined ? { merchantId: m.id } : { merchantId: m.id, storeId }, version);
      }
      print(await listUpdateRollout(pool, m.id));
      return;
    }
    case 'revoke-register': {
      if (args.length !== 1) throw usage('revoke-register takes one register id');
      print(await revokeRegister(pool, args[0] as string, clock.now()));
      return;
    }
    case 'upsert-product':
    case 'upsert-promotion':
    case 'upsert-member': {
      if (args.length !== 1) throw usage(`${command} takes one JSON object or array (or @file)`);
      const items = many(json(args[0], command));
      const m = await merchant();
      const upsert = { 'upsert-product': upsertProduct, 'upsert-promotion': upsertPromotion, 'upsert-member': upsertMember }[command];
      const results: unknown[] = [];
      for (const item of items) results.push(await upsert(pool, m.id, item, clock.now()));
      print(results.length === 1 ? results[0] : results);
      return;
    }
    case 'member-rules': {
      const m = await merchant();
      if (args.length === 0) {
        print(await loadRules(pool, m.id));
        return;
      }
      if (args.length !== 1) throw usage('member-rules takes one JSON object (or @file), or nothing to show them');
      const input = json(args[0], command);
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new AdminError('INVALID', 'member-rules takes a JSON object');
      const allowed = ['earnCentsPerPoint', 'tierMultipliers', 'excludedCategories', 'pointsPerDollar', 'offlineLimitCents'];
      const unknown = Object.keys(input).filter((k) => !allowed.includes(k));
      if (unknown.length > 0) throw new AdminError('INVALID', `Unknown rule ${unknown.join(', ')}; known: ${allowed.join(', ')}`);
      // a new version of the rules, sent to every register with the change feed
      const rules = await withTransaction(pool, async (client) => {
        // one change at a time (setRules takes the same lock), so "before" is what this change replaced
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`member-rules:${m.id}`]);
        const before = await loadRules(client, m.id);
        const after = await setRules(client, m.id, input as Partial<MemberRules>, clock.now());
        if (JSON.stringify(before) !== JSON.stringify(after))
          await recordAudit(
            client,
            { merchantId: m.id, userId: null, userEmail: 'cloud:admin', action: 'member.rules', target: 'member-rules', before, after },
            clock.now(),
          );
        return after;
      });
      print(rules);
      return;
    }
    case 'adjust-balance': {
      if (args.length !== 3) throw usage('adjust-balance takes <memberCode> <points|credit> <amount>');
      const [memberCode, kind, amountText] = args as [string, string, string];
      if (kind !== 'points' && kind !== 'credit') throw usage('the balance is points or credit');
      if (values.reason === undefined) throw usage('adjust-balance needs --reason <why>');
      if (values.ref === undefined) throw usage('adjust-balance needs --ref <unique note>: the same one twice is applied once');
      const m = await merchant();
      const amount = integer(amountText, 'amount', -1e12, 1e12);
      print(await adjustBalance(pool, m.id, { memberCode, kind, amount, reason: values.reason, ref: values.ref }, clock.now()));
      return;
    }
    case 'issue-gift-cards': {
      if (args.length !== 1) throw usage('issue-gift-cards takes <count>');
      const m = await merchant();
      const count = integer(args[0], 'count', 1, 10_000);
      const value = values.value === undefined ? 0 : integer(values.value, '--value (cents)', 1, 1_000_000);
      const batch = values.batch ?? `B${new Date(clock.now()).toISOString().slice(0, 19).replace(/\D/g, '')}`;
      const cards = await issueGiftCards(pool, m.id, { count, value, batch, source: 'admin' }, clock.now());
      err(`${cards.length} gift card(s) issued in batch ${batch}: print these codes now, they are not kept`);
      print({ batch, cards });
      return;
    }
    case 'gift-card':
    case 'void-gift-card': {
      if (args.length !== 1) throw usage(`${command} takes <code> (19 digits as printed)`);
      const m = await merchant();
      let hash: string;
      try {
        hash = hashGiftCardCode(args[0] as string);
      } catch (error) {
        throw new AdminError('INVALID', (error as Error).message);
      }
      const card = await giftCardDetail(pool, m.id, { hash });
      if (!card) throw new AdminError('NOT_FOUND', 'No gift card with that code');
      if (command === 'gift-card') {
        print(card);
        return;
      }
      if (values.reason === undefined) throw usage('void-gift-card needs --reason <why>');
      print(await voidGiftCard(pool, m.id, { id: card.id, reason: values.reason, by: 'admin' }, clock.now()));
      return;
    }
    case 'list-ledger-exceptions': {
      const m = await merchant();
      const closed = values.closed ?? false;
      print({
        exceptions: await listLedgerExceptions(pool, m.id, null, closed ? 'resolved' : 'open', clock.now()),
        returnPointsWaiting: await listPendingReturnPoints(pool, m.id, null, clock.now(), closed ? 'closed' : 'waiting'),
      });
      return;
    }
    case 'close-return-points': {
      if (args.length !== 1) throw usage('close-return-points takes one id (from list-ledger-exceptions)');
      if (values.reason === undefined) throw usage('close-return-points needs --reason <why>');
      const m = await merchant();
      const id = integer(args[0], 'id', 1, Number.MAX_SAFE_INTEGER);
      print(
        await closeReturnPoints(pool, m.id, { id, by: null, reason: values.reason, storeScope: null }, clock.now(), (client, done) =>
          recordAudit(client, { merchantId: m.id, userId: null, userEmail: 'cloud:admin', ...closeAuditEntry(done) }, clock.now()),
        ),
      );
      return;
    }
    case 'set-price': {
      if (args.length !== 2) throw usage('set-price takes <sku> <cents>');
      const m = await merchant();
      const cents = integer(args[1], 'cents', 0, 1e12);
      print(
        await setPrice(
          pool,
          m.id,
          args[0] as string,
          cents,
          values.from === undefined ? undefined : instant(values.from, '--from'),
          clock.now(),
        ),
      );
      return;
    }
    case 'receive-stock': {
      if (args.length !== 3) throw usage('receive-stock takes <store> <sku> <quantity>');
      if (values.ref === undefined)
        throw usage('receive-stock needs --ref <delivery note or count sheet>: recording the same one twice is then harmless');
      const reason = values.reason ?? 'receive';
      if (reason !== 'receive' && reason !== 'adjust' && reason !== 'count' && reason !== 'transfer')
        throw usage('--reason is receive, adjust, count or transfer');
      const [storeRef, sku, quantity] = args as [string, string, string];
      if (!/^-?\d{1,7}(\.\d{1,3})?$/.test(quantity)) throw usage('quantity is a number with at most 3 decimals');
      const m = await merchant();
      const store = await resolveStore(pool, storeRef, m.id);
      const quantityMilli = Math.round(Number(quantity) * 1000);
      print(
        await recordStockEntry(
          pool,
          m.id,
          { storeId: store.id, storeCode: store.code, sku, quantityMilli, reason, ref: values.ref },
          clock.now(),
        ),
      );
      return;
    }
    case 'set-reorder': {
      if (args.length !== 3) throw usage('set-reorder takes <store> <sku> <quantity|none>');
      const [storeRef, sku, quantity] = args as [string, string, string];
      if (quantity !== 'none' && !/^\d{1,7}(\.\d{1,3})?$/.test(quantity))
        throw usage('quantity is none or a number with at most 3 decimals');
      const m = await merchant();
      const store = await resolveStore(pool, storeRef, m.id);
      const reorderMilli = quantity === 'none' ? null : Math.round(Number(quantity) * 1000);
      print((await setReorderLevel(pool, m.id, { storeId: store.id, sku, reorderMilli }, clock.now())).after);
      return;
    }
    case 'create-po': {
      if (args.length !== 2) throw usage('create-po takes <store> and one JSON object (or @file)');
      const m = await merchant();
      const store = await resolveStore(pool, args[0] as string, m.id);
      print(await createPurchaseOrder(pool, m.id, store, json(args[1], 'the purchase order'), clock.now()));
      return;
    }
    case 'list-pos': {
      print(await listPurchaseOrders(pool, (await merchant()).id));
      return;
    }
    case 'cancel-po': {
      if (args.length !== 1) throw usage('cancel-po takes the order number');
      print((await cancelPurchaseOrder(pool, (await merchant()).id, args[0] as string, clock.now())).after);
      return;
    }
    case 'record-online-order': {
      if (args.length !== 1) throw usage('record-online-order takes one JSON object (or @file)');
      const order = json(args[0], 'the order');
      const m = await merchant();
      print(await recordOnlineOrder(pool, m.id, order, clock.now()));
      return;
    }
    case 'create-shop-key': {
      if (args.length !== 1) throw usage('create-shop-key takes one label (e.g. "Online shop")');
      const m = await merchant();
      const created = await createShopKey(pool, m.id, { label: args[0] as string, scopes: parseScopes(values.scopes) }, clock.now());
      out(created.key);
      err(`Shop key ${created.prefix}… "${created.label}" (scopes ${created.scopes.join(', ')}): shown once, only its hash is kept`);
      return;
    }
    case 'list-shop-keys': {
      print(await listShopKeys(pool, (await merchant()).id));
      return;
    }
    case 'revoke-shop-key': {
      if (args.length !== 1) throw usage('revoke-shop-key takes a key id or prefix');
      print(await revokeShopKey(pool, (await merchant()).id, args[0] as string, clock.now()));
      return;
    }
    case 'list-quarantine': {
      const m = values.merchant === undefined ? undefined : (await merchant()).id;
      const limit = values.limit === undefined ? 100 : integer(values.limit, '--limit', 1, 10_000);
      print(await listQuarantine(pool, { ...(m === undefined ? {} : { merchantId: m }), includeResolved: values.all ?? false, limit }));
      return;
    }
    case 'resolve-quarantine': {
      if (args.length !== 1) throw usage('resolve-quarantine takes one id');
      const resolved = await resolveQuarantine(pool, integer(args[0], 'id', 1, Number.MAX_SAFE_INTEGER), clock.now());
      if (!resolved) throw new AdminError('NOT_FOUND', `No open quarantine entry ${args[0]}`);
      print({ resolved: true });
      return;
    }
    case 'sales-summary': {
      const m = await merchant();
      const from = await boundary(pool, m.id, values.from, false);
      const to = await boundary(pool, m.id, values.to, true);
      print(await salesSummary(pool, m.id, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }));
      return;
    }
    case 'prune-changes': {
      const m = await merchant();
      print(await pruneChanges(pool, m.id, integer(values.through, '--through', 0, Number.MAX_SAFE_INTEGER)));
      return;
    }
    case 'create-user': {
      if (args.length !== 1) throw usage('create-user takes one email address');
      const email = Email.safeParse(args[0]);
      if (!email.success) throw new AdminError('INVALID', `${args[0]} is not an email address`);
      const role = Role.safeParse(values.role);
      if (!role.success) throw usage('--role is owner, hq_manager, store_manager or viewer');
      const m = await resolveMerchant(pool, values.merchant, { createDefault: true });
      const storeIds: number[] = [];
      for (const ref of values.store ?? []) storeIds.push((await resolveStore(pool, ref, m.id)).id);
      let password: string;
      if (values['password-stdin']) {
        if (!deps.stdin) throw usage('--password-stdin needs standard input');
        password = (await deps.stdin()).split(/\r?\n/)[0] ?? '';
        const checked = NewPassword.safeParse(password);
        if (!checked.success)
          throw new AdminError('INVALID', `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
      } else {
        password = generatePassword();
      }
      const name = values.name ?? email.data.split('@')[0] ?? email.data;
      try {
        const user = await createUser(pool, m.id, { email: email.data, name, role: role.data, storeIds, password }, clock.now());
        await recordAudit(
          pool,
          { merchantId: m.id, userId: null, userEmail: 'cloud:admin', action: 'user.create', target: user.email, after: user },
          clock.now(),
        );
        print(values['password-stdin'] ? { user } : { user, password });
        if (!values['password-stdin']) err('The password above is shown once: give it to the user, who logs in at /hq/.');
      } catch (error) {
        if (error instanceof CloudError) throw new AdminError(error.code === 'CONFLICT' ? 'CONFLICT' : 'INVALID', error.message);
        throw error;
      }
      return;
    }
    default:
      throw usage(`Unknown command ${command}`);
  }
}
