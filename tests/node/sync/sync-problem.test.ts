/**
 * 雲端同步's 最近問題 says what went wrong in the reader's language: the sync worker records each
 * failed request with a typed problem where it happens (no answer, an error page, the cloud
 * failing, busy, refusing), the raw words apart for IT; a success clears both.
 */
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { openDatabase } from '../../../src/main/db/open';
import { readStoredProblem, syncProblemOf } from '../../../src/main/sync/sync-problem';
import { readHealth, recordContact } from '../../../src/main/sync/sync-store';
import { lastProblem } from '../../../src/renderer/back-office/sync/last-problem';
import { createI18n } from '../../../src/renderer/i18n/create-i18n';
import { createCloudShop, enrol, enrolmentCode, eventually, sell, syncStatus, useSyncRig, WATER } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

const rtt = { sentAt: 0, receivedAt: 0 };
const refusal = (status: number, code: string) =>
  ({ kind: 'error', status, code, message: `${code} said`, body: {}, retryAfterMs: null, serverTime: null, rtt }) as const;
const noAnswer = (message: string, status: number | null = null) => ({ kind: 'unreachable', message, retryAfterMs: null, status }) as const;

describe('a failed sync request, typed where it happens', () => {
  it('is classified by what answered: nothing, a certificate refused, a page that is no cloud, the cloud failing, busy, refusing', () => {
    expect(syncProblemOf(noAnswer('ECONNREFUSED'))).toEqual({ code: 'unreachable', detail: 'ECONNREFUSED' });
    expect(syncProblemOf(noAnswer('DEPTH_ZERO_SELF_SIGNED_CERT'))).toEqual({ code: 'certificate', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(syncProblemOf(noAnswer('HTTP 502 without a JSON body', 502)).code).toBe('cloud-failed');
    expect(syncProblemOf(noAnswer('HTTP 200 without a JSON body', 200)).code).toBe('not-suanpan');
    expect(syncProblemOf(refusal(503, 'UNAVAILABLE'))).toEqual({ code: 'cloud-failed', detail: 'UNAVAILABLE: UNAVAILABLE said' });
    expect(syncProblemOf(refusal(429, 'RATE_LIMITED')).code).toBe('busy');
    expect(syncProblemOf(refusal(408, 'TIMEOUT')).code).toBe('refused');
    expect(syncProblemOf(refusal(401, 'TOKEN_REVOKED'), 'token-revoked')).toEqual({
      code: 'token-revoked',
      detail: 'TOKEN_REVOKED: TOKEN_REVOKED said',
    });
  });

  it('is kept with its words apart; words an older version recorded alone stay, for IT, with no code', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db, loadMigrations(appPaths().migrationsDir));
      recordContact(db, { now: 1, reachable: false, problem: { code: 'unreachable', detail: 'ECONNREFUSED' } });
      expect(readHealth(db)).toMatchObject({ lastProblem: 'unreachable', lastError: 'ECONNREFUSED' });
      recordContact(db, { now: 2, reachable: true, success: true });
      expect(readHealth(db)).toMatchObject({ lastProblem: null, lastError: null });
    } finally {
      db.close();
    }
    expect(readStoredProblem('sync failed: disk I/O error')).toEqual({ code: null, detail: 'sync failed: disk I/O error' });
    expect(readStoredProblem('{"code":"nonsense","detail":"x"}')).toEqual({ code: null, detail: '{"code":"nonsense","detail":"x"}' });
  });
});

describe('最近問題 in 雲端同步', () => {
  it('each problem in Chinese words that say what to do; the raw words only under a label for IT', async () => {
    const i18n = createI18n({ getItem: () => null, setItem: () => undefined });
    const problems = [
      'unreachable',
      'certificate',
      'not-suanpan',
      'cloud-failed',
      'busy',
      'token-revoked',
      'token-invalid',
      'update-required',
      'refused',
      'unreadable',
      'failed',
    ] as const;
    for (const code of problems) {
      const shown = lastProblem(i18n.t, { lastProblem: code, lastError: 'ECONNREFUSED' })!;
      expect(shown.words, code).toMatch(/[\u4e00-\u9fff].*：/);
      // no English sentence: at most HTTPS and IT
      expect(shown.words.replace(/\bHTTPS\b|\bIT\b/g, ''), code).not.toMatch(/[A-Za-z]/);
      expect(shown.detailLabel, code).toContain('（供 IT 參考）');
    }
    expect(lastProblem(i18n.t, { lastProblem: 'unreachable', lastError: 'ECONNREFUSED' })?.detailLabel).toBe('連線錯誤（供 IT 參考）：');
    expect(lastProblem(i18n.t, { lastProblem: 'refused', lastError: 'X: y' })?.detailLabel).toBe('雲端回覆（供 IT 參考）：');
    expect(lastProblem(i18n.t, { lastProblem: null, lastError: 'sync failed: disk I/O error' })).toEqual({
      words: '同步出現問題：詳情見下面的技術資料（供 IT 參考）',
      detailLabel: '技術資料（供 IT 參考）：',
    });
    expect(lastProblem(i18n.t, { lastProblem: null, lastError: null })).toBeNull();
    await i18n.changeLanguage('en');
    expect(lastProblem(i18n.t, { lastProblem: 'cloud-failed', lastError: 'x' })?.words).toMatch(/^The cloud has a failure/);
  });

  it('a register whose cloud fails, then is busy, then cannot be reached, shows each as its problem; the next sync clears it', async () => {
    const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const shop = await createCloudShop(database().pool);
      const { register } = await openRegister();
      await enrol(register, proxy.url, await enrolmentCode(database().pool, shop.store));
      await eventually(
        () => syncStatus(register),
        (s) => s.lastSyncAt !== null,
        'the first sync',
      );

      const json = { 'content-type': 'application/json' };
      proxy.answerWith(
        { status: 503, headers: json, body: JSON.stringify({ error: 'UNAVAILABLE', message: 'down for upkeep' }) },
        /mutations/,
      );
      await sell(register, [WATER.barcode]);
      const failing = await eventually(
        () => syncStatus(register),
        (s) => s.lastProblem === 'cloud-failed',
        'the failure to show',
      );
      expect(failing.lastError).toBe('UNAVAILABLE: down for upkeep');

      proxy.answerWith({
        status: 429,
        headers: { ...json, 'retry-after': '1' },
        body: JSON.stringify({ error: 'RATE_LIMITED', message: 'slow down' }),
      });
      await syncNow(register);
      await eventually(
        () => syncStatus(register),
        (s) => s.lastProblem === 'busy' && s.lastError === 'RATE_LIMITED: slow down',
        'busy to show',
      );

      proxy.answerWith(null);
      proxy.setMode('offline');
      await syncNow(register);
      const offline = await eventually(
        () => syncStatus(register),
        (s) => s.lastProblem === 'unreachable',
        'no answer to show',
      );
      expect(offline.lastError).toMatch(/^E[A-Z]+/);

      proxy.setMode('pass');
      await syncNow(register);
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0 && s.lastProblem === null && s.lastError === null,
        'the next sync to clear it',
      );
    } finally {
      await proxy.close();
    }
  });
});

/** 立即同步: the worker tries at once. */
async function syncNow(register: Awaited<ReturnType<typeof openRegister>>['register']): Promise<void> {
  const answer = await register.dispatch('sync:now', {});
  expect(answer.ok).toBe(true);
}
