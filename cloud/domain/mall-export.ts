/**
 * Mall turnover export: many Hong Kong malls require each tenant to send the day's (or each hour's)
 * sales in the mall's own file layout. Per store: the mall's tenant code and a template (CSV or
 * fixed width; which figures; date formats; file name), rendered from the cloud's own sale
 * documents, handed to a sender (a folder, or the store's SFTP destination: cloud/domain/mall-sftp.ts),
 * and logged with where it went, the exact bytes, their sha256, and why a send failed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addDays, startOfStoreDay, wallClock } from '../../src/shared/store-time';
import { CloudError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import {
  MallExportBody,
  MallSftpSettings,
  type MallExportConfig,
  type MallField,
  type MallLogRow,
  type MallSftpBody,
  type MallTemplate,
} from '../hq/contract';
import type { MallFile, MallFileSender } from './mall-file';
import { SftpError, sftpDestination, type MallSftpSender, type SftpSecret, type SftpTarget } from './mall-sftp';

export type { MallFile, MallFileSender } from './mall-file';

/** One period's figures; amounts in cents. */
export interface MallFigures {
  grossSales: number;
  discounts: number;
  refunds: number;
  netSales: number;
  transactions: number;
  refundCount: number;
}

export interface MallPeriod extends MallFigures {
  /** null for the daily record */
  hour: number | null;
}

/** A file the template cannot write (a figure wider than its field, text a fixed-width file cannot hold). */
export class MallTemplateError extends CloudError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

// Rendering (pure) -------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

/** yyyy yy MM dd HH mm ss in `format` replaced from a wall clock; anything else is kept as written. */
export function formatStamp(
  format: string,
  w: { year: number; month: number; day: number; hour: number; minute: number; second: number },
): string {
  return format.replace(/yyyy|yy|MM|dd|HH|mm|ss/g, (token) => {
    switch (token) {
      case 'yyyy':
        return String(w.year).padStart(4, '0');
      case 'yy':
        return pad2(w.year % 100);
      case 'MM':
        return pad2(w.month);
      case 'dd':
        return pad2(w.day);
      case 'HH':
        return pad2(w.hour);
      case 'mm':
        return pad2(w.minute);
      default:
        return pad2(w.second);
    }
  });
}

function dayClock(isoDay: string, hour = 0) {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  return { year, month, day, hour, minute: 0, second: 0 };
}

function amount(cents: number, format: string): string {
  if (format === 'dollars') {
    const sign = cents < 0 ? '-' : '';
    const abs = Math.abs(cents);
    return `${sign}${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
  }
  return String(cents);
}

interface RenderContext {
  tenantCode: string;
  storeCode: string;
  day: string;
  generatedAt: { year: number; month: number; day: number; hour: number; minute: number; second: number };
  recordCount: number;
}

const AMOUNTS = new Set(['grossSales', 'discounts', 'refunds', 'netSales']);

function fieldValue(field: MallField, ctx: RenderContext, period: MallPeriod): string {
  switch (field.source) {
    case 'text':
      return field.text;
    case 'tenantCode':
      return ctx.tenantCode;
    case 'storeCode':
      return ctx.storeCode;
    case 'date':
      return formatStamp(field.format || 'yyyyMMdd', dayClock(ctx.day));
    case 'hour':
      return period.hour === null ? '' : formatStamp(field.format || 'HH', dayClock(ctx.day, period.hour));
    case 'generatedAt':
      return formatStamp(field.format || 'yyyyMMddHHmmss', ctx.generatedAt);
    case 'recordCount':
      return String(ctx.recordCount);
    default:
      return AMOUNTS.has(field.source) ? amount(period[field.source], field.format || 'cents') : String(period[field.source]);
  }
}

/** Pads to the field's width; a value that does not fit is refused, never cut (a cut figure is a wrong figure). */
function fixed(field: MallField, value: string): string {
  const width = field.width ?? value.length;
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new MallTemplateError(`"${value}" is not plain ASCII, which a fixed-width file needs (field ${field.source})`);
  if (value.length > width) throw new MallTemplateError(`${field.source} "${value}" is wider than its ${width} characters`);
  if (field.align === 'left') return value.padEnd(width, field.pad);
  const negative = value.startsWith('-') && field.pad === '0';
  return negative ? `-${value.slice(1).padStart(width - 1, '0')}` : value.padStart(width, field.pad);
}

function csvCell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function record(template: MallTemplate, fields: MallField[], ctx: RenderContext, period: MallPeriod): string {
  const values = fields.map((f) => fieldValue(f, ctx, period));
  return template.format === 'fixed'
    ? fields.map((f, i) => fixed(f, values[i]!)).join('')
    : values.map((v) => csvCell(v, template.delimiter)).join(template.delimiter);
}

export function sumPeriods(periods: MallPeriod[]): MallPeriod {
  const total: MallPeriod = { hour: null, grossSales: 0, discounts: 0, refunds: 0, netSales: 0, transactions: 0, refundCount: 0 };
  for (const p of periods) {
    total.grossSales += p.grossSales;
    total.discounts += p.discounts;
    total.refunds += p.refunds;
    total.netSales += p.netSales;
    total.transactions += p.transactions;
    total.refundCount += p.refundCount;
  }
  return total;
}

/**
 * The file for one store and day. `hourly` holds the 24 hours 00–23 (hours without sales are zero);
 * a daily template writes their sum as its one detail record. Header and trailer records carry the
 * day's totals.
 */
export function renderMallFile(
  template: MallTemplate,
  input: { tenantCode: string; storeCode: string; day: string; hourly: MallPeriod[]; generatedAt: number; timeZone: string },
): MallFile {
  const day = sumPeriods(input.hourly);
  const details = template.granularity === 'hourly' ? input.hourly : [day];
  const ctx: RenderContext = {
    tenantCode: input.tenantCode,
    storeCode: input.storeCode,
    day: input.day,
    generatedAt: wallClock(input.generatedAt, input.timeZone),
    recordCount: details.length,
  };
  const lines: string[] = [];
  if (template.format === 'csv' && template.csvHeader)
    lines.push(template.detail.map((f) => csvCell(f.label, template.delimiter)).join(template.delimiter));
  if (template.header.length > 0) lines.push(record(template, template.header, ctx, day));
  for (const period of details) lines.push(record(template, template.detail, ctx, period));
  if (template.trailer.length > 0) lines.push(record(template, template.trailer, ctx, day));
  const eol = template.lineEnding === 'crlf' ? '\r\n' : '\n';
  const text = (template.format === 'csv' && template.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
  const fileName = template.fileName.replace(/\{(tenant|store|date|generated)(?::([A-Za-z]+))?\}/g, (_, token: string, format?: string) => {
    if (token === 'tenant') return input.tenantCode;
    if (token === 'store') return input.storeCode;
    if (token === 'date') return formatStamp(format ?? 'yyyyMMdd', dayClock(input.day));
    return formatStamp(format ?? 'yyyyMMddHHmmss', ctx.generatedAt);
  });
  if (!/^[A-Za-z0-9_.-]+$/.test(fileName) || fileName.startsWith('.')) throw new MallTemplateError(`"${fileName}" is not a safe file name`);
  return { fileName, content: Buffer.from(text, 'utf8') };
}

// The two example templates (cloud/README.md describes them) ----------------------------------------

const money = (source: MallField['source'], label: string): MallField => ({
  source,
  label,
  text: '',
  align: 'left',
  pad: ' ',
  format: 'dollars',
});

export const mallExampleTemplates: Record<'csv-hourly' | 'fixed-daily', MallTemplate> = {
  /** One line per hour, as the malls with a web upload of hourly sales take it. */
  'csv-hourly': {
    name: 'CSV, hourly',
    format: 'csv',
    granularity: 'hourly',
    fileName: 'SALES_{tenant}_{date:yyyyMMdd}.csv',
    lineEnding: 'crlf',
    delimiter: ',',
    csvHeader: true,
    bom: false,
    header: [],
    detail: [
      { source: 'tenantCode', label: 'TENANT_CODE', text: '', align: 'left', pad: ' ', format: '' },
      { source: 'date', label: 'SALES_DATE', text: '', align: 'left', pad: ' ', format: 'yyyy-MM-dd' },
      { source: 'hour', label: 'HOUR', text: '', align: 'left', pad: ' ', format: 'HH:mm' },
      money('grossSales', 'GROSS_SALES'),
      money('discounts', 'DISCOUNT'),
      money('refunds', 'REFUND'),
      money('netSales', 'NET_SALES'),
      { source: 'transactions', label: 'TRANSACTION_COUNT', text: '', align: 'left', pad: ' ', format: '' },
    ],
    trailer: [],
    includeOnline: false,
  },
  /**
   * A header, one detail and a trailer record of fixed width, amounts in cents zero-padded: the
   * shape of the daily turnover text files Hong Kong mall operators' tenant systems read.
   */
  'fixed-daily': {
    name: 'Fixed width, daily',
    format: 'fixed',
    granularity: 'daily',
    fileName: '{tenant}{date:yyyyMMdd}.TXT',
    lineEnding: 'crlf',
    delimiter: ',',
    csvHeader: false,
    bom: false,
    header: [
      { source: 'text', label: '', text: 'H', width: 1, align: 'left', pad: ' ', format: '' },
      { source: 'tenantCode', label: '', text: '', width: 10, align: 'left', pad: ' ', format: '' },
      { source: 'date', label: '', text: '', width: 8, align: 'left', pad: ' ', format: 'yyyyMMdd' },
      { source: 'generatedAt', label: '', text: '', width: 14, align: 'left', pad: ' ', format: 'yyyyMMddHHmmss' },
    ],
    detail: [
      { source: 'text', label: '', text: 'D', width: 1, align: 'left', pad: ' ', format: '' },
      { source: 'tenantCode', label: '', text: '', width: 10, align: 'left', pad: ' ', format: '' },
      { source: 'date', label: '', text: '', width: 8, align: 'left', pad: ' ', format: 'yyyyMMdd' },
      { source: 'grossSales', label: '', text: '', width: 12, align: 'right', pad: '0', format: 'cents' },
      { source: 'discounts', label: '', text: '', width: 12, align: 'right', pad: '0', format: 'cents' },
      { source: 'refunds', label: '', text: '', width: 12, align: 'right', pad: '0', format: 'cents' },
      { source: 'netSales', label: '', text: '', width: 12, align: 'right', pad: '0', format: 'cents' },
      { source: 'transactions', label: '', text: '', width: 6, align: 'right', pad: '0', format: '' },
    ],
    trailer: [
      { source: 'text', label: '', text: 'T', width: 1, align: 'left', pad: ' ', format: '' },
      { source: 'recordCount', label: '', text: '', width: 6, align: 'right', pad: '0', format: '' },
      { source: 'netSales', label: '', text: '', width: 14, align: 'right', pad: '0', format: 'cents' },
    ],
    includeOnline: false,
  },
};

// Figures from the cloud's documents -------------------------------------------------------------

/**
 * The store's 24 hours of `day` (merchant's calendar): gross = Σ subtotal of sales (before
 * promotions and discounts), discounts = Σ their promotions + discounts, refunds = Σ −total of
 * returns, net = Σ total of every document (sales − refunds ± exchanges, as the sales report's
 * total), transactions = sales, refundCount = returns.
 */
export async function mallPeriods(
  db: Queryable,
  merchantId: number,
  storeId: number,
  day: string,
  timeZone: string,
  includeOnline: boolean,
): Promise<MallPeriod[]> {
  const from = startOfStoreDay(day, timeZone);
  const to = startOfStoreDay(addDays(day, 1), timeZone);
  const rows = (
    await db.query<{ hour: number } & MallFigures>(
      `SELECT extract(hour FROM s.completed_at AT TIME ZONE $5)::int AS hour,
              coalesce(sum(s.subtotal) FILTER (WHERE s.kind = 'sale'), 0)::bigint AS "grossSales",
              coalesce(sum(s.promotion_total + s.discount_total) FILTER (WHERE s.kind = 'sale'), 0)::bigint AS discounts,
              coalesce(-sum(s.total) FILTER (WHERE s.kind = 'return'), 0)::bigint AS refunds,
              coalesce(sum(s.total), 0)::bigint AS "netSales",
              count(*) FILTER (WHERE s.kind = 'sale')::int AS transactions,
              count(*) FILTER (WHERE s.kind = 'return')::int AS "refundCount"
       FROM sale s
       WHERE s.merchant_id = $1 AND s.store_id = $2 AND s.completed_at >= $3 AND s.completed_at < $4 AND ($6 OR s.channel = 'register')
       GROUP BY 1`,
      [merchantId, storeId, new Date(from), new Date(to), timeZone, includeOnline],
    )
  ).rows;
  const byHour = new Map(rows.map((r) => [r.hour, r]));
  return Array.from({ length: 24 }, (_, hour) => {
    const r = byHour.get(hour);
    return {
      hour,
      grossSales: r?.grossSales ?? 0,
      discounts: r?.discounts ?? 0,
      refunds: r?.refunds ?? 0,
      netSales: r?.netSales ?? 0,
      transactions: r?.transactions ?? 0,
      refundCount: r?.refundCount ?? 0,
    };
  });
}

// Senders ----------------------------------------------------------------------------------------

/** Where a file goes. Returns where it went, for the log. `sftp`: the store's destination, for the SFTP sender. */
export interface MallSenders {
  folder?: MallFileSender;
  sftp?: MallSftpSender;
}

/**
 * Writes `<root>/<store code>/<file name>`: to a temporary name first, then renamed, so a mall's
 * pick-up job polling the folder never reads half a file.
 */
export function createFolderSender(root: string): MallFileSender {
  return {
    async send(file) {
      const dir = join(root, file.storeCode);
      await mkdir(dir, { recursive: true });
      const target = join(dir, file.fileName);
      const temporary = join(dir, `.${file.fileName}.${randomBytes(4).toString('hex')}.part`);
      await writeFile(temporary, file.content);
      await rename(temporary, target);
      return target;
    },
  };
}

// Configuration, runs and the log ------------------------------------------------------------------

interface ExportRow {
  id: number;
  merchant_id: number;
  store_id: number;
  store_code: string;
  time_zone: string;
  tenant_code: string;
  template: unknown;
  send_at: string | null;
  sender: 'folder' | 'sftp';
  enabled: boolean;
  updated_at: Date;
  sftp: unknown;
  sftp_secret_set: boolean;
}

// never the sealed secret itself: only the sender's path (sftpTarget) reads it
const EXPORT_SELECT = `SELECT e.id, e.merchant_id, e.store_id, st.code AS store_code, m.time_zone, e.tenant_code, e.template, e.send_at, e.sender, e.enabled, e.updated_at,
    e.sftp, e.sftp_secret IS NOT NULL AS sftp_secret_set
  FROM mall_export e JOIN store st ON st.id = e.store_id JOIN merchant m ON m.id = e.merchant_id`;

export function configOf(row: ExportRow): MallExportConfig {
  return {
    id: row.id,
    tenantCode: row.tenant_code,
    template: MallExportBody.shape.template.parse(row.template),
    sendAt: row.send_at,
    sender: row.sender,
    enabled: row.enabled,
    updatedAt: row.updated_at.getTime(),
    sftp: row.sftp === null ? null : { ...MallSftpSettings.parse(row.sftp), secretSet: row.sftp_secret_set },
  };
}

export async function loadMallExport(db: Queryable, merchantId: number, storeId: number): Promise<ExportRow | null> {
  return (
    (await db.query<ExportRow>(`${EXPORT_SELECT} WHERE e.merchant_id = $1 AND e.store_id = $2`, [merchantId, storeId])).rows[0] ?? null
  );
}

export async function saveMallExport(
  db: Queryable,
  merchantId: number,
  storeId: number,
  body: MallExportBody,
  senders: MallSenders,
  now: number,
): Promise<ExportRow> {
  if (!senders[body.sender])
    throw new CloudError(
      'BAD_REQUEST',
      `This server has no ${body.sender} sender${body.sender === 'sftp' ? ' (SFTP needs SUANPAN_SECRET_KEY on the server: see cloud/README.md)' : ''}`,
    );
  const store = (await db.query('SELECT 1 FROM store WHERE merchant_id = $1 AND id = $2', [merchantId, storeId])).rowCount;
  if (!store) throw new CloudError('NOT_FOUND', `No store ${storeId}`);
  if (body.sender === 'sftp') {
    const sftp = (await db.query<{ sftp: unknown }>('SELECT sftp FROM mall_export WHERE store_id = $1', [storeId])).rows[0]?.sftp ?? null;
    if (sftp === null)
      throw new CloudError('BAD_REQUEST', 'Set the SFTP destination first', { issues: [{ path: 'sender', message: 'SFTP_NOT_SET' }] });
  }
  await db.query(
    `INSERT INTO mall_export (merchant_id, store_id, tenant_code, template, send_at, sender, enabled, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (store_id) DO UPDATE SET tenant_code = EXCLUDED.tenant_code, template = EXCLUDED.template, send_at = EXCLUDED.send_at,
       sender = EXCLUDED.sender, enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at`,
    [merchantId, storeId, body.tenantCode, JSON.stringify(body.template), body.sendAt, body.sender, body.enabled, new Date(now)],
  );
  return (await loadMallExport(db, merchantId, storeId)) as ExportRow;
}

/** The settings of the SFTP destination a new body asks for, and the secret to store (undefined: keep the stored one). */
function sftpSecretOf(body: MallSftpBody): SftpSecret | undefined {
  if (body.auth === 'password') return body.password === undefined ? undefined : { password: body.password };
  return body.privateKey === undefined
    ? undefined
    : { privateKey: body.privateKey, ...(body.passphrase === undefined ? {} : { passphrase: body.passphrase }) };
}

/**
 * The stored secret stays with the server it was given for: a new host, port, user or way of
 * logging in needs the password or key entered again (so changing the host cannot send the stored
 * password to another server).
 */
function keepsSecret(before: MallSftpSettings | null, after: MallSftpSettings): boolean {
  return (
    before !== null &&
    before.host === after.host &&
    before.port === after.port &&
    before.username === after.username &&
    before.auth === after.auth
  );
}

/** Saves a store's SFTP destination; the secret is sealed by the sender, never stored or answered in clear. */
export async function saveMallSftp(
  db: Queryable,
  merchantId: number,
  storeId: number,
  body: MallSftpBody,
  sender: MallSftpSender,
  now: number,
): Promise<ExportRow> {
  const row = await loadMallExport(db, merchantId, storeId);
  if (!row) throw new CloudError('NOT_FOUND', 'This store has no mall export set up yet');
  const settings = MallSftpSettings.parse(body);
  const before = row.sftp === null ? null : MallSftpSettings.parse(row.sftp);
  const secret = sftpSecretOf(body);
  if (secret === undefined && !(row.sftp_secret_set && keepsSecret(before, settings)))
    throw new CloudError(
      'BAD_REQUEST',
      settings.auth === 'password' ? 'Enter the password for this server' : 'Enter the private key for this server',
      { issues: [{ path: settings.auth === 'password' ? 'password' : 'privateKey', message: 'SFTP_NO_SECRET' }] },
    );
  await db.query(`UPDATE mall_export SET sftp = $2::jsonb, sftp_secret = coalesce($3, sftp_secret), updated_at = $4 WHERE id = $1`, [
    row.id,
    JSON.stringify(settings),
    secret === undefined ? null : sender.seal(secret),
    new Date(now),
  ]);
  return (await loadMallExport(db, merchantId, storeId)) as ExportRow;
}

/**
 * What 測試連線 tests: the settings as typed (saved or not) with the secret typed, else the stored
 * one when it belongs to the same server.
 */
export async function sftpTestTarget(db: Queryable, row: ExportRow, body: MallSftpBody, sender: MallSftpSender): Promise<SftpTarget> {
  const settings = MallSftpSettings.parse(body);
  const secret = sftpSecretOf(body);
  if (secret !== undefined) return { settings, sealedSecret: sender.seal(secret) };
  const stored = await sftpTarget(db, row);
  return { settings, sealedSecret: stored && keepsSecret(stored.settings, settings) ? stored.sealedSecret : null };
}

/** The store's destination with its sealed secret, for the sender only. */
async function sftpTarget(db: Queryable, row: ExportRow): Promise<SftpTarget | null> {
  const found = (
    await db.query<{ sftp: unknown; sftp_secret: Buffer | null }>('SELECT sftp, sftp_secret FROM mall_export WHERE id = $1', [row.id])
  ).rows[0];
  if (!found || found.sftp === null) return null;
  return { settings: MallSftpSettings.parse(found.sftp), sealedSecret: found.sftp_secret };
}

/** The file for a store and day as it would be sent now (nothing is sent or logged). */
export async function buildMallFile(db: Queryable, row: ExportRow, day: string, now: number): Promise<MallFile> {
  const config = configOf(row);
  const hourly = await mallPeriods(db, row.merchant_id, row.store_id, day, row.time_zone, config.template.includeOnline);
  return renderMallFile(config.template, {
    tenantCode: row.tenant_code,
    storeCode: row.store_code,
    day,
    hourly,
    generatedAt: now,
    timeZone: row.time_zone,
  });
}

interface LogRow {
  id: number;
  store_code: string;
  business_day: string;
  trigger: 'schedule' | 'manual';
  user_email: string;
  status: 'sending' | 'sent' | 'failed';
  file_name: string;
  bytes: number;
  sha256: string | null;
  destination: string;
  error: string | null;
  created_at: Date;
}

const LOG_SELECT = `SELECT l.id, st.code AS store_code, to_char(l.business_day, 'YYYY-MM-DD') AS business_day, l.trigger, l.user_email, l.status,
    l.file_name, coalesce(octet_length(l.content), 0)::int AS bytes, l.sha256, l.destination, l.error, l.created_at
  FROM mall_export_log l JOIN store st ON st.id = l.store_id`;

function logOf(r: LogRow): MallLogRow {
  return {
    id: r.id,
    storeCode: r.store_code,
    businessDay: r.business_day,
    trigger: r.trigger,
    userEmail: r.user_email,
    status: r.status,
    fileName: r.file_name,
    bytes: r.bytes,
    sha256: r.sha256,
    destination: r.destination,
    error: r.error,
    createdAt: r.created_at.getTime(),
  };
}

export async function listMallLog(db: Queryable, merchantId: number, storeIds: number[] | null, limit = 100): Promise<MallLogRow[]> {
  return (
    await db.query<LogRow>(
      `${LOG_SELECT} WHERE l.merchant_id = $1 AND ($2::bigint[] IS NULL OR l.store_id = ANY($2::bigint[])) ORDER BY l.id DESC LIMIT $3`,
      [merchantId, storeIds, limit],
    )
  ).rows.map(logOf);
}

export async function mallLogFile(
  db: Queryable,
  merchantId: number,
  logId: number,
): Promise<{ storeId: number; fileName: string; content: Buffer }> {
  const row = (
    await db.query<{ store_id: number; file_name: string; content: Buffer | null }>(
      'SELECT store_id, file_name, content FROM mall_export_log WHERE merchant_id = $1 AND id = $2',
      [merchantId, logId],
    )
  ).rows[0];
  if (!row?.content) throw new CloudError('NOT_FOUND', `No file in log entry ${logId}`);
  return { storeId: row.store_id, fileName: row.file_name, content: row.content };
}

/**
 * Renders and sends one store's file for `day`, logging the outcome. A scheduled run first claims
 * the day (the unique index lets one instance in); when another already has it, answers null.
 * A render or send failure is logged as failed (with why) and answered, not thrown.
 */
export async function runMallExport(
  pool: Pool,
  row: ExportRow,
  day: string,
  options: { trigger: 'schedule' | 'manual'; userEmail?: string; senders: MallSenders; now: () => number },
): Promise<MallLogRow | null> {
  // 1. the log entry, claiming the day for a scheduled run
  const claimed = (
    await pool.query<{ id: number }>(
      `INSERT INTO mall_export_log (merchant_id, export_id, store_id, business_day, trigger, user_email, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sending', $7) ON CONFLICT DO NOTHING RETURNING id`,
      [row.merchant_id, row.id, row.store_id, day, options.trigger, options.userEmail ?? '', new Date(options.now())],
    )
  ).rows[0];
  if (!claimed) return null;
  // 2. the file, then the sender; 3. the outcome
  let file: MallFile | null = null;
  let destination = '';
  try {
    file = await buildMallFile(pool, row, day, options.now());
    const sender = options.senders[row.sender];
    if (!sender)
      throw new Error(`no ${row.sender} sender on this server${row.sender === 'sftp' ? ' (SUANPAN_SECRET_KEY is not set)' : ''}`);
    let sftp: SftpTarget | undefined;
    if (row.sender === 'sftp') {
      sftp = (await sftpTarget(pool, row)) ?? undefined;
      if (!sftp) throw new SftpError('SFTP_NOT_SET', 'this store has no SFTP destination set');
      destination = sftpDestination(sftp.settings, file.fileName);
    }
    destination = await sender.send({ ...file, storeCode: row.store_code, ...(sftp ? { sftp } : {}) });
    await pool.query(
      `UPDATE mall_export_log SET status = 'sent', file_name = $2, content = $3, sha256 = $4, destination = $5, finished_at = $6 WHERE id = $1`,
      [
        claimed.id,
        file.fileName,
        file.content,
        createHash('sha256').update(file.content).digest('hex'),
        destination,
        new Date(options.now()),
      ],
    );
  } catch (error) {
    // what was tried, where to, and why it failed (never a secret: the sender's errors name none)
    await pool.query(
      `UPDATE mall_export_log SET status = 'failed', file_name = $2, content = $3, sha256 = $4, destination = $5, error = $6, finished_at = $7
       WHERE id = $1`,
      [
        claimed.id,
        file?.fileName ?? '',
        file?.content ?? null,
        file ? createHash('sha256').update(file.content).digest('hex') : null,
        destination,
        (error as Error).message.slice(0, 500),
        new Date(options.now()),
      ],
    );
  }
  return logOf((await pool.query<LogRow>(`${LOG_SELECT} WHERE l.id = $1`, [claimed.id])).rows[0]!);
}

/**
 * One pass of the schedule, across merchants: every enabled export whose send time has passed
 * today (in its merchant's time zone) sends the previous day once. A failed day is tried again
 * after 15 minutes; a run left 'sending' for 10 minutes (an instance that died) counts as failed.
 */
export async function runDueMallExports(pool: Pool, senders: MallSenders, now: () => number): Promise<MallLogRow[]> {
  const at = new Date(now());
  await pool.query(
    `UPDATE mall_export_log SET status = 'failed', error = 'interrupted (the sending instance stopped)', finished_at = $1
     WHERE status = 'sending' AND created_at < $1::timestamptz - interval '10 minutes'`,
    [at],
  );
  const due = (
    await pool.query<ExportRow & { day: string }>(
      `SELECT * FROM (
         SELECT x.*, to_char((($1::timestamptz AT TIME ZONE x.time_zone)::date - 1), 'YYYY-MM-DD') AS day,
                to_char($1::timestamptz AT TIME ZONE x.time_zone, 'HH24:MI') AS local_time
         FROM (${EXPORT_SELECT} WHERE e.enabled AND e.send_at IS NOT NULL) x
       ) d
       WHERE d.local_time >= d.send_at
         AND NOT EXISTS (SELECT 1 FROM mall_export_log l WHERE l.export_id = d.id AND l.business_day = d.day::date AND l.trigger = 'schedule'
                         AND (l.status IN ('sending', 'sent') OR l.created_at > $1::timestamptz - interval '15 minutes'))`,
      [at],
    )
  ).rows;
  const done: MallLogRow[] = [];
  for (const row of due) {
    const logged = await runMallExport(pool, row, row.day, { trigger: 'schedule', senders, now });
    if (logged) done.push(logged);
  }
  return done;
}

/** Runs the schedule every `intervalMs` (a minute) until stopped; one pass at a time. */
export function startMallScheduler(
  pool: Pool,
  senders: MallSenders,
  now: () => number,
  onError: (error: unknown) => void,
  intervalMs = 60_000,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueMallExports(pool, senders, now)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
