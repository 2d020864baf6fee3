/**
 * The mall export over SFTP against real PostgreSQL and a real SFTP server (ssh2's Server on
 * 127.0.0.1, a generated host key, files landing in a temporary folder): the host key pinned from
 * a first 測試連線 that sends nothing, both example templates arriving byte for byte as the folder
 * export writes them (the golden files), the password never answered, audited or stored in clear;
 * a wrong password, another host key and a server that never answers each fail with their typed
 * error in the log, nothing marked sent, the schedule sending the day once the destination is fixed.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolderSender, mallExampleTemplates, runDueMallExports, type MallSenders } from '../../../cloud/domain/mall-export';
import { createSftpSender } from '../../../cloud/domain/mall-sftp';
import { createSecretBox } from '../../../cloud/domain/secrets';
import type { MallExportConfig, MallLogRow, MallSftpProbe, MallTemplate } from '../../../cloud/hq/contract';
import { expectGolden } from '../helpers/golden-file';
import { mallDocument } from './mall-documents';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';
import { hostKeyPair, startSftpServer, startSilentServer, type TestSftpServer } from './sftp-server';

const GOLDEN = join(import.meta.dirname, 'golden');
const DAY = '2026-11-30';
const hk = (time: string, day = DAY) => Date.parse(`${day}T${time}+08:00`);
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let mk: EnrolledRegister;
let folder: string;
let root: string;
let sftpServer: TestSftpServer;
let senders: MallSenders;
let nowMs = hk('10:00', '2026-12-01');
const clock = { now: () => nowMs };

const document = mallDocument;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mall-sftp-folder-'));
  root = mkdtempSync(join(tmpdir(), 'mall-sftp-root-'));
  sftpServer = await startSftpServer({ root: join(root, 'a'), username: 'mall', password: PASSWORD });
  // short bounds so the silent server's test is quick; the sender's own defaults are 20 s and 90 s
  senders = {
    folder: createFolderSender(folder),
    sftp: createSftpSender(createSecretBox(randomBytes(32)), { connectTimeoutMs: 3_000, totalTimeoutMs: 8_000 }),
  };
  server = await startHq(database().pool, clock, { mallSenders: senders });
  shop = await createShop(database().pool);
  mk = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  const mutations = [
    document(mk, 1, hk('09:15'), 2, 150),
    document(mk, 2, hk('09:40'), 1),
    document(mk, 3, hk('14:05'), 3),
    document(mk, 4, hk('15:30'), -1),
    document(mk, 5, hk('23:59:30'), 1),
    document(mk, 6, hk('00:00:10', '2026-12-01'), 1),
    document(mk, 7, hk('23:50', '2026-11-29'), 1),
  ];
  const answer = await call(server.base, 'POST', `/v1/registers/${mk.registerId}/mutations`, { token: mk.token, body: { mutations } });
  expect(answer.body).toMatchObject({ applied: mutations.length, quarantined: 0 });
  await addUser(database().pool, shop.merchantId, 'owner@sftp.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'hq@sftp.hk', 'hq_manager');
  await addUser(database().pool, shop.merchantId, 'viewer@sftp.hk', 'viewer');
}, 120_000);
afterAll(async () => {
  await server?.close();
  await sftpServer?.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

const mkId = () => shop.stores[0]!.id;
const exportPath = () => `/hq/api/mall/exports/${mkId()}`;

function saveExport(client: HqClient, template: MallTemplate, sender: 'folder' | 'sftp', extra: Record<string, unknown> = {}) {
  return client.request('PUT', exportPath(), { tenantCode: 'T0123', template, sendAt: null, sender, enabled: true, ...extra });
}

function sftpBody(extra: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port: sftpServer.port,
    username: 'mall',
    directory: '',
    auth: 'password',
    hostKeySha256: sftpServer.fingerprint,
    ...extra,
  };
}

async function run(client: HqClient): Promise<MallLogRow> {
  const answer = await client.request('POST', `${exportPath()}/run`, { day: DAY });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.log as MallLogRow;
}

/** Bounds a wait: a sender that hangs fails the test with a message instead of hanging it. */
async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms: the sender hung`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('sending over SFTP', () => {
  it('pins the host key from a first test that sends nothing, then both example templates arrive byte for byte', async () => {
    const owner = await as('owner@sftp.hk');
    expect((await saveExport(owner, mallExampleTemplates['csv-hourly'], 'folder')).status).toBe(200);
    // SFTP refused as the sender until a destination is set
    expect(await saveExport(owner, mallExampleTemplates['csv-hourly'], 'sftp')).toMatchObject({
      status: 400,
      body: { issues: [{ message: 'SFTP_NOT_SET' }] },
    });

    // 1. the destination, not pinned yet; the answer says a password is set, never what it is
    const saved = await owner.request(
      'PUT',
      `${exportPath()}/sftp`,
      sftpBody({ hostKeySha256: null, directory: 'inbox', password: PASSWORD }),
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((saved.body.config as MallExportConfig).sftp).toEqual({
      host: '127.0.0.1',
      port: sftpServer.port,
      username: 'mall',
      directory: 'inbox',
      auth: 'password',
      hostKeySha256: null,
      secretSet: true,
    });
    expect(JSON.stringify(saved.body)).not.toContain(PASSWORD);
    const listed = await owner.request('GET', '/hq/api/mall/exports');
    expect(JSON.stringify(listed.body)).not.toContain(PASSWORD);
    const stored = await database().pool.query<{ sftp_secret: Buffer; sftp: unknown }>('SELECT sftp, sftp_secret FROM mall_export');
    expect(stored.rows[0]!.sftp_secret.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(JSON.stringify(stored.rows[0]!.sftp)).not.toContain(PASSWORD);

    // 2. 測試連線 with no pin: the key the server shows, and no login (nothing sent to an unknown server)
    const first = await owner.request('POST', `${exportPath()}/sftp/test`, sftpBody({ hostKeySha256: null, directory: 'inbox' }));
    expect(first.body.probe).toMatchObject({ ok: false, code: 'SFTP_HOST_KEY_NOT_PINNED', fingerprint: sftpServer.fingerprint });
    expect(sftpServer.logins).toEqual({ ok: 0, refused: 0 });
    // a missing folder is found by the test, then the folder is there
    const noFolder = (await owner.request('POST', `${exportPath()}/sftp/test`, sftpBody({ directory: 'inbox' }))).body
      .probe as MallSftpProbe;
    expect(noFolder).toMatchObject({ ok: false, code: 'SFTP_REMOTE_ERROR', fingerprint: sftpServer.fingerprint });
    mkdirSync(join(root, 'a', 'inbox'), { recursive: true });
    // 3. pinned (the stored password stays: same server and user); the test now logs in
    const pinned = await owner.request('PUT', `${exportPath()}/sftp`, sftpBody({ directory: 'inbox' }));
    expect((pinned.body.config as MallExportConfig).sftp).toMatchObject({ hostKeySha256: sftpServer.fingerprint, secretSet: true });
    expect((await owner.request('POST', `${exportPath()}/sftp/test`, sftpBody({ directory: 'inbox' }))).body.probe).toEqual({
      ok: true,
      fingerprint: sftpServer.fingerprint,
      code: null,
      message: null,
    });

    // 4. CSV, hourly over SFTP: the log names where it went, the bytes and their sha256
    expect((await saveExport(owner, mallExampleTemplates['csv-hourly'], 'sftp')).status).toBe(200);
    const csv = await run(owner);
    const arrivedCsv = readFileSync(join(root, 'a', 'inbox', 'SALES_T0123_20261130.csv'));
    expect(csv).toMatchObject({
      status: 'sent',
      fileName: 'SALES_T0123_20261130.csv',
      destination: `sftp://mall@127.0.0.1:${sftpServer.port}/inbox/SALES_T0123_20261130.csv`,
      bytes: arrivedCsv.length,
      error: null,
    });
    expect(csv.sha256).toBe(createHash('sha256').update(arrivedCsv).digest('hex'));
    expectGolden(join(GOLDEN, 'mall-csv-hourly.csv'), arrivedCsv.toString('utf8'));

    // 5. fixed width, daily: the same bytes over SFTP as in the folder
    nowMs = hk('07:05:09', '2026-12-01');
    expect((await saveExport(owner, mallExampleTemplates['fixed-daily'], 'sftp')).status).toBe(200);
    expect(await run(owner)).toMatchObject({ status: 'sent', fileName: 'T012320261130.TXT' });
    const arrivedFixed = readFileSync(join(root, 'a', 'inbox', 'T012320261130.TXT'));
    expectGolden(join(GOLDEN, 'mall-fixed-daily.txt'), arrivedFixed);
    expect((await saveExport(owner, mallExampleTemplates['fixed-daily'], 'folder')).status).toBe(200);
    expect(await run(owner)).toMatchObject({ status: 'sent' });
    expect(arrivedFixed.equals(readFileSync(join(folder, 'MK', 'T012320261130.TXT')))).toBe(true);
    // sent again: the file there is replaced whole, no .tmp is left behind
    expect((await saveExport(owner, mallExampleTemplates['fixed-daily'], 'sftp')).status).toBe(200);
    expect(await run(owner)).toMatchObject({ status: 'sent' });
    expect(readdirSync(join(root, 'a', 'inbox')).sort()).toEqual(['SALES_T0123_20261130.csv', 'T012320261130.TXT']);

    // the audit has each change of the destination, without the password
    const audit = await database().pool.query<{ before: unknown; after: unknown }>(
      "SELECT before, after FROM hq_audit WHERE action = 'mall-export.sftp' ORDER BY id",
    );
    expect(audit.rows).toHaveLength(2);
    expect(audit.rows[0]!.after).toMatchObject({ secretSet: true, secretReplaced: true, hostKeySha256: null });
    expect(audit.rows[1]!.after).toMatchObject({ secretReplaced: false, hostKeySha256: sftpServer.fingerprint });
    expect(JSON.stringify(audit.rows)).not.toContain(PASSWORD);
  });

  it('logs in with a private key too', async () => {
    const owner = await as('hq@sftp.hk');
    const client = ssh2.utils.generateKeyPairSync('ed25519');
    const keyServer = await startSftpServer({ root: join(root, 'k'), username: 'keyed', publicKey: client.public });
    try {
      const body = {
        host: '127.0.0.1',
        port: keyServer.port,
        username: 'keyed',
        directory: '',
        auth: 'key',
        hostKeySha256: keyServer.fingerprint,
      };
      expect((await owner.request('PUT', `${exportPath()}/sftp`, { ...body, privateKey: client.private })).status).toBe(200);
      expect(await run(owner)).toMatchObject({ status: 'sent', destination: `sftp://keyed@127.0.0.1:${keyServer.port}/T012320261130.TXT` });
      expect(readFileSync(join(root, 'k', 'T012320261130.TXT')).equals(readFileSync(join(folder, 'MK', 'T012320261130.TXT')))).toBe(true);
    } finally {
      await keyServer.close();
    }
  });

  it('a wrong password: a typed error in the log, nothing marked sent; the schedule sends the day once it is fixed', async () => {
    const owner = await as('owner@sftp.hk');
    const wrongRoot = join(root, 'w');
    const strict = await startSftpServer({ root: wrongRoot, username: 'mall', password: PASSWORD });
    try {
      expect(
        (
          await owner.request(
            'PUT',
            `${exportPath()}/sftp`,
            sftpBody({ port: strict.port, hostKeySha256: strict.fingerprint, password: 'wrong' }),
          )
        ).status,
      ).toBe(200);
      nowMs = hk('05:00', '2026-12-01');
      expect((await saveExport(owner, mallExampleTemplates['fixed-daily'], 'sftp', { sendAt: '06:00' })).status).toBe(200);
      nowMs = hk('06:01', '2026-12-01');
      const [failed] = await runDueMallExports(database().pool, senders, clock.now);
      expect(failed).toMatchObject({
        trigger: 'schedule',
        status: 'failed',
        destination: `sftp://mall@127.0.0.1:${strict.port}/T012320261130.TXT`,
        fileName: 'T012320261130.TXT',
      });
      expect(failed!.error).toMatch(/^SFTP_AUTH_FAILED: /);
      expect(failed!.error).not.toContain('wrong');
      expect(failed!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(strict.logins).toMatchObject({ ok: 0 });
      expect(readdirSync(wrongRoot)).toEqual([]);
      const log = (await owner.request('GET', '/hq/api/mall/log')).body.log as MallLogRow[];
      expect(log.filter((l) => l.trigger === 'schedule').map((l) => l.status)).toEqual(['failed']);

      // fixed; the next tick after the back-off sends the day, once
      expect(
        (
          await owner.request(
            'PUT',
            `${exportPath()}/sftp`,
            sftpBody({ port: strict.port, hostKeySha256: strict.fingerprint, password: PASSWORD }),
          )
        ).status,
      ).toBe(200);
      nowMs = hk('06:10', '2026-12-01');
      expect(await runDueMallExports(database().pool, senders, clock.now)).toEqual([]);
      nowMs = hk('06:17', '2026-12-01');
      const retried = await runDueMallExports(database().pool, senders, clock.now);
      expect(retried).toMatchObject([{ trigger: 'schedule', status: 'sent', error: null }]);
      // what arrived is what the log keeps (its generated-at stamp is this run's)
      const arrived = readFileSync(join(wrongRoot, 'T012320261130.TXT'));
      expect(createHash('sha256').update(arrived).digest('hex')).toBe(retried[0]!.sha256);
      expect(arrived.toString('latin1')).toContain('HT0123     2026113020261201061700');
      nowMs = hk('07:00', '2026-12-01');
      expect(await runDueMallExports(database().pool, senders, clock.now)).toEqual([]);
    } finally {
      await strict.close();
      nowMs = hk('07:05:09', '2026-12-01');
      expect((await saveExport(owner, mallExampleTemplates['fixed-daily'], 'sftp', { sendAt: null })).status).toBe(200);
    }
  });

  it('a server showing another host key is refused before any password goes to it', async () => {
    const owner = await as('owner@sftp.hk');
    const impostor = await startSftpServer({ root: join(root, 'i'), username: 'mall', password: PASSWORD, hostKey: hostKeyPair() });
    try {
      // the pin is the real server's key; the impostor shows its own
      expect((await owner.request('PUT', `${exportPath()}/sftp`, sftpBody({ port: impostor.port, password: PASSWORD }))).status).toBe(200);
      const log = await run(owner);
      expect(log).toMatchObject({ status: 'failed' });
      expect(log.error).toMatch(/^SFTP_HOST_KEY_MISMATCH: /);
      expect(log.error).toContain(impostor.fingerprint);
      expect(impostor.logins).toEqual({ ok: 0, refused: 0 });
      expect(readdirSync(join(root, 'i'))).toEqual([]);
      const probe = (await owner.request('POST', `${exportPath()}/sftp/test`, sftpBody({ port: impostor.port }))).body
        .probe as MallSftpProbe;
      expect(probe).toMatchObject({ ok: false, code: 'SFTP_HOST_KEY_MISMATCH', fingerprint: impostor.fingerprint });
    } finally {
      await impostor.close();
    }
  });

  it('a server that accepts the connection and never answers fails within the bound, logged', async () => {
    const owner = await as('owner@sftp.hk');
    const silent = await startSilentServer();
    try {
      expect((await owner.request('PUT', `${exportPath()}/sftp`, sftpBody({ port: silent.port, password: PASSWORD }))).status).toBe(200);
      const started = Date.now();
      const log = await bounded(run(owner), 60_000, 'a send to a silent server');
      const elapsed = Date.now() - started;
      expect(log).toMatchObject({ status: 'failed' });
      expect(log.error).toMatch(/^SFTP_TIMEOUT: /);
      expect(silent.accepted()).toBeGreaterThan(0);
      const probe = (
        await bounded(
          owner.request('POST', `${exportPath()}/sftp/test`, sftpBody({ port: silent.port, hostKeySha256: null })),
          60_000,
          'a test',
        )
      ).body.probe as MallSftpProbe;
      expect(probe).toMatchObject({ ok: false, code: 'SFTP_TIMEOUT', fingerprint: null });
      console.log(`silent server: the send failed after ${elapsed} ms (connect bound 3000 ms)`);
    } finally {
      await silent.close();
    }
  });
});

describe('who may change the destination', () => {
  it('a viewer is refused at the API, and a new server needs the password again', async () => {
    const viewer = await as('viewer@sftp.hk');
    expect(await viewer.request('PUT', `${exportPath()}/sftp`, sftpBody({ password: 'x' }))).toMatchObject({
      status: 403,
      body: { error: 'PERMISSION_DENIED' },
    });
    expect((await viewer.request('POST', `${exportPath()}/sftp/test`, sftpBody())).status).toBe(403);
    const owner = await as('owner@sftp.hk');
    // another host with no password typed: the stored one does not follow it there
    expect(await owner.request('PUT', `${exportPath()}/sftp`, sftpBody({ host: 'mall.example.com' }))).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'password', message: 'SFTP_NO_SECRET' }] },
    });
    expect(await owner.request('PUT', `${exportPath()}/sftp`, sftpBody({ hostKeySha256: 'SHA256:short' }))).toMatchObject({ status: 400 });
  });
});
