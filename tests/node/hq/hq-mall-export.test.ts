/**
 * Mall turnover export against real PostgreSQL and a real folder: a day of register sales pushed
 * through the API, both example templates rendered and compared byte for byte with golden files,
 * the schedule sending each day once across instances, the log with the bytes sent, refusals.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolderSender, mallExampleTemplates, runDueMallExports, type MallSenders } from '../../../cloud/domain/mall-export';
import type { MallExportRow, MallLogRow, MallTemplate } from '../../../cloud/hq/contract';
import { expectGolden } from '../helpers/golden-file';
import { mallDocument } from './mall-documents';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const GOLDEN = join(import.meta.dirname, 'golden');
const DAY = '2026-11-30';
/** Hong Kong wall-clock time on DAY (or another day) as ms. */
const hk = (time: string, day = DAY) => Date.parse(`${day}T${time}+08:00`);

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let mk: EnrolledRegister;
let tst: EnrolledRegister;
let folder: string;
let senders: MallSenders;
let nowMs = hk('10:00', '2026-12-01');
const clock = { now: () => nowMs };

const document = mallDocument;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mall-export-'));
  senders = { folder: createFolderSender(folder) };
  server = await startHq(database().pool, clock, { mallSenders: senders });
  shop = await createShop(database().pool);
  mk = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  tst = await enrolRegister(database().pool, server.base, shop.stores[1]!);
  const mkDocs = [
    document(mk, 1, hk('09:15'), 2, 150),
    document(mk, 2, hk('09:40'), 1),
    document(mk, 3, hk('14:05'), 3),
    document(mk, 4, hk('15:30'), -1),
    document(mk, 5, hk('23:59:30'), 1),
    // the next day and the day before: not in DAY's file
    document(mk, 6, hk('00:00:10', '2026-12-01'), 1),
    document(mk, 7, hk('23:50', '2026-11-29'), 1),
  ];
  for (const [register, mutations] of [
    [mk, mkDocs],
    [tst, [document(tst, 1, hk('12:00'), 5)]],
  ] as const) {
    const answer = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
      token: register.token,
      body: { mutations },
    });
    expect(answer.body).toMatchObject({ applied: mutations.length, quarantined: 0 });
  }
  await addUser(database().pool, shop.merchantId, 'owner@mall.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'tst@mall.hk', 'store_manager', [shop.stores[1]!.id]);
  await addUser(database().pool, shop.merchantId, 'viewer@mall.hk', 'viewer');
});
afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

const mkId = () => shop.stores[0]!.id;

async function save(client: HqClient, template: MallTemplate, extra: Record<string, unknown> = {}) {
  return client.request('PUT', `/hq/api/mall/exports/${mkId()}`, {
    tenantCode: 'T0123',
    template,
    sendAt: null,
    sender: 'folder',
    enabled: true,
    ...extra,
  });
}

describe('the example templates, byte for byte', () => {
  it('CSV, hourly: 24 lines of the day’s sales by hour, the header first', async () => {
    const owner = await as('owner@mall.hk');
    expect((await save(owner, mallExampleTemplates['csv-hourly'])).status).toBe(200);
    const preview = await owner.request('POST', `/hq/api/mall/exports/${mkId()}/preview`, { day: DAY });
    expect(preview.body.fileName).toBe('SALES_T0123_20261130.csv');
    const text = preview.body.text as string;
    expectGolden(join(GOLDEN, 'mall-csv-hourly.csv'), text);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(26);
    expect(lines[10]).toBe('T0123,2026-11-30,09:00,30.00,1.50,0.00,28.50,2');
    expect(lines[16]).toBe('T0123,2026-11-30,15:00,0.00,0.00,10.00,-10.00,0');
  });

  it('fixed width, daily: header, detail and trailer records, sent to the folder and logged with their bytes', async () => {
    const owner = await as('owner@mall.hk');
    expect((await save(owner, mallExampleTemplates['fixed-daily'])).status).toBe(200);
    nowMs = hk('07:05:09', '2026-12-01');
    const run = await owner.request('POST', `/hq/api/mall/exports/${mkId()}/run`, { day: DAY });
    const log = run.body.log as MallLogRow;
    expect(log).toMatchObject({
      status: 'sent',
      trigger: 'manual',
      userEmail: 'owner@mall.hk',
      fileName: 'T012320261130.TXT',
      storeCode: 'MK',
    });
    const written = readFileSync(join(folder, 'MK', 'T012320261130.TXT'));
    expect(log.destination).toBe(join(folder, 'MK', 'T012320261130.TXT'));
    expectGolden(join(GOLDEN, 'mall-fixed-daily.txt'), written);
    expect(written.toString('latin1').split('\r\n')).toEqual([
      'HT0123     2026113020261201070509',
      'DT0123     20261130000000007000000000000150000000001000000000005850000004',
      'T00000100000000005850',
      '',
    ]);
    const download = await fetch(`${server.base}/hq/api/mall/log/${log.id}/file`, { headers: { cookie: owner.cookie! } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(written);
    // The day's net equals the sales report's total for the store and day.
    const report = await owner.request('GET', `/hq/api/reports/sales?from=${DAY}&to=${DAY}`);
    const mkTotal = (report.body.rows as { storeCode: string; total: number }[])
      .filter((r) => r.storeCode === 'MK')
      .reduce((s, r) => s + r.total, 0);
    expect(mkTotal).toBe(5850);
    const audit = await database().pool.query("SELECT target FROM hq_audit WHERE action = 'mall-export.send'");
    expect(audit.rows).toEqual([{ target: `MK ${DAY}` }]);
  });

  it('a figure wider than its field fails the run, logged with the reason; nothing is written', async () => {
    const owner = await as('owner@mall.hk');
    const narrow = structuredClone(mallExampleTemplates['fixed-daily']);
    narrow.fileName = 'NARROW{date:yyyyMMdd}.TXT';
    narrow.detail[6] = { ...narrow.detail[6]!, width: 3 };
    expect((await save(owner, narrow)).status).toBe(200);
    const log = (await owner.request('POST', `/hq/api/mall/exports/${mkId()}/run`, { day: DAY })).body.log as MallLogRow;
    expect(log).toMatchObject({ status: 'failed', error: 'netSales "5850" is wider than its 3 characters' });
    expect(() => readFileSync(join(folder, 'MK', 'NARROW20261130.TXT'))).toThrow();
  });
});

describe('the schedule', () => {
  it('sends the previous day once its time has passed, once across instances', async () => {
    nowMs = hk('05:00', '2026-12-01');
    expect((await save(await as('owner@mall.hk'), mallExampleTemplates['fixed-daily'], { sendAt: '06:00' })).status).toBe(200);
    nowMs = hk('05:59', '2026-12-01');
    expect(await runDueMallExports(database().pool, senders, clock.now)).toEqual([]);
    nowMs = hk('06:01', '2026-12-01');
    // Two instances' ticks at once: the claim lets one through.
    const [a, b] = await Promise.all([
      runDueMallExports(database().pool, senders, clock.now),
      runDueMallExports(database().pool, senders, clock.now),
    ]);
    const sent = [...a, ...b];
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ trigger: 'schedule', businessDay: DAY, status: 'sent', fileName: 'T012320261130.TXT' });
    nowMs = hk('23:00', '2026-12-01');
    expect(await runDueMallExports(database().pool, senders, clock.now)).toEqual([]);
    const log = (await (await as('owner@mall.hk')).request('GET', '/hq/api/mall/log')).body.log as MallLogRow[];
    expect(log.filter((l) => l.trigger === 'schedule').map((l) => [l.businessDay, l.status])).toEqual([[DAY, 'sent']]);
  });
});

describe('who may do what', () => {
  it('a viewer may look but not change or send; a store manager sees only their store', async () => {
    const viewer = await as('viewer@mall.hk');
    expect((await viewer.request('GET', '/hq/api/mall/exports')).status).toBe(200);
    expect(await save(viewer, mallExampleTemplates['csv-hourly'])).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    expect(await viewer.request('POST', `/hq/api/mall/exports/${mkId()}/run`, { day: DAY })).toMatchObject({ status: 403 });
    const manager = await as('tst@mall.hk');
    const listed = (await manager.request('GET', '/hq/api/mall/exports')).body.exports as MallExportRow[];
    expect(listed.map((e) => e.storeCode)).toEqual(['TST']);
    expect((await manager.request('POST', `/hq/api/mall/exports/${mkId()}/preview`, { day: DAY })).status).toBe(404);
    expect(((await manager.request('GET', '/hq/api/mall/log')).body.log as unknown[]).length).toBe(0);
  });

  it('refuses SFTP on a server without SUANPAN_SECRET_KEY, and a template a file cannot be made from', async () => {
    const owner = await as('owner@mall.hk');
    const sftp = await save(owner, mallExampleTemplates['csv-hourly'], { sender: 'sftp' });
    expect(sftp).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    expect(sftp.body.message).toContain('SUANPAN_SECRET_KEY');
    const noWidth = structuredClone(mallExampleTemplates['fixed-daily']);
    delete noWidth.detail[1]!.width;
    expect((await save(owner, noWidth)).status).toBe(400);
    expect((await save(owner, { ...mallExampleTemplates['csv-hourly'], fileName: '../../etc/passwd' })).status).toBe(400);
  });
});
