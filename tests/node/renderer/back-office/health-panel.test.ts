/**
 * 健康狀態 / Health (issue 17): what each line of the health report tells shop IT (level, words,
 * what to do), the store behind the panel, and its refresh: bounded, only while the page is visible.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../../../src/shared/diagnostics-schemas';
import {
  ageOf,
  formatBytes,
  healthItemIds,
  healthItems,
  overallLevel,
  type HealthItem,
} from '../../../../src/renderer/back-office/health/health-items';
import { startVisibleRefresh, type VisibilitySource } from '../../../../src/renderer/back-office/health/visible-refresh';
import { createHealthStore } from '../../../../src/renderer/back-office/stores/health-store';
import { en } from '../../../../src/renderer/i18n/en';
import { createFakePosApi, deferred, fail, healthReport, ok } from '../fake-pos-api';

const GB = 1024 ** 3;
const MIN = 60_000;
const base = healthReport();
const at = base.checkedAt;

function lineOf(report: HealthReport, id: HealthItem['id']): HealthItem {
  return healthItems(report).find((item) => item.id === id)!;
}

/** The report with one part changed, the rest as the fake's healthy register. */
const withPart = <K extends keyof HealthReport>(key: K, patch: Partial<HealthReport[K]>): HealthReport => ({
  ...base,
  [key]: { ...(base[key] as object), ...patch },
});

const printer = (patch: Partial<HealthReport['devices']['printer']>): HealthReport =>
  withPart('devices', { printer: { ...base.devices.printer, ...patch } });

/** Every words key an item names exists in the English table (zh-HK has the same keys, checked elsewhere). */
function hasWords(prefix: 'values' | 'advice', key: string): boolean {
  let node: unknown = (en.health as Record<string, unknown>)[prefix];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string';
}

describe('the health panel’s lines', () => {
  it('has every item the issue lists, in reading order, each with words and, when not OK, what to do', () => {
    const items = healthItems(base);
    expect(items.map((item) => item.id)).toEqual([...healthItemIds]);
    for (const item of items) {
      expect(hasWords('values', item.value.key), item.value.key).toBe(true);
      if (item.level === 'ok') expect(item.advice).toBeNull();
      else expect(item.advice && hasWords('advice', item.advice.key), `${item.id} ${item.advice?.key}`).toBe(true);
    }
  });

  it.each([
    ['plenty of room', 50 * GB, 'ok'],
    ['under 5 GB', 3 * GB, 'warn'],
    ['under 1 GB', 0.5 * GB, 'bad'],
  ] as const)('disk free: %s is %s', (_name, freeBytes, level) => {
    expect(lineOf(withPart('disk', { freeBytes }), 'disk').level).toBe(level);
  });

  it('a full disk is a problem whatever the figure; a disk the OS will not describe is a warning', () => {
    expect(lineOf(withPart('database', { state: 'disk-full' }), 'disk').level).toBe('bad');
    expect(lineOf(withPart('disk', { freeBytes: null, totalBytes: null }), 'disk')).toMatchObject({
      level: 'warn',
      advice: { key: 'diskUnknown' },
    });
  });

  it('shows the database and WAL size; a WAL past 64 MB is a warning', () => {
    expect(lineOf(base, 'database')).toMatchObject({
      level: 'ok',
      value: { key: 'databaseSize', params: { size: '3.8\u00a0MB', wal: '98\u00a0KB' } },
    });
    expect(formatBytes(76.8 * GB)).toBe('76.8\u00a0GB');
    expect(lineOf(withPart('database', { walBytes: 100 * 1024 * 1024 }), 'database').advice?.key).toBe('walLarge');
  });

  it.each([
    ['ok', 'ok', null],
    ['checking', 'warn', 'integrityChecking'],
    ['damaged', 'bad', 'integrityDamaged'],
    ['disk-full', 'bad', 'diskLow'],
    ['unknown', 'warn', 'integrityUnknown'],
  ] as const)('integrity %s is %s', (state, level, advice) => {
    const line = lineOf(withPart('database', { state }), 'integrity');
    expect([line.level, line.advice?.key ?? null]).toEqual([level, advice]);
  });

  it('migrations: all applied is OK; behind or ahead of this app is a problem', () => {
    expect(lineOf(base, 'migrations')).toMatchObject({ level: 'ok', value: { params: { applied: 14, latest: 14 } } });
    expect(lineOf(withPart('versions', { schema: 13 }), 'migrations').advice?.key).toBe('migrationsBehind');
    expect(lineOf(withPart('versions', { schema: 15 }), 'migrations').advice?.key).toBe('migrationsAhead');
  });

  it.each([
    ['never made', { lastAt: null }, 'warn', 'backupNever'],
    ['made 20 minutes ago, hourly', { lastAt: at - 20 * MIN }, 'ok', null],
    ['within the hour and its grace', { lastAt: at - 69 * MIN }, 'ok', null],
    ['older than the hourly schedule allows', { lastAt: at - 71 * MIN }, 'warn', 'backupLate'],
    ['every 4 hours, 3 hours old', { lastAt: at - 180 * MIN, intervalMinutes: 240 }, 'ok', null],
    ['over a day old', { lastAt: at - 25 * 60 * MIN }, 'bad', 'backupLate'],
    ['the schedule switched off', { lastAt: at - 20 * MIN, scheduled: false }, 'warn', 'backupOff'],
    ['the last one failed', { lastAt: at - 20 * MIN, lastError: 'ENOSPC' }, 'bad', 'backupFailed'],
    ['failed and never made', { lastError: 'ENOSPC' }, 'bad', 'backupFailed'],
  ] as const)('last backup %s: %s', (_name, patch, level, advice) => {
    const line = lineOf(withPart('backup', { count: 3, ...patch }), 'backup');
    expect([line.level, line.advice?.key ?? null]).toEqual([level, advice]);
  });

  it('the backup’s age is shown in words, the late warning names the schedule', () => {
    const line = lineOf(withPart('backup', { lastAt: at - 3 * 60 * MIN, count: 5 }), 'backup');
    expect(line.value).toEqual({ key: 'backupAge', params: { count: 5 }, ageMs: 3 * 60 * MIN });
    expect(line.advice).toEqual({ key: 'backupLate', params: { minutes: 60 } });
    expect(ageOf(3 * 60 * MIN)).toEqual({ key: 'hours', params: { count: 3 } });
    expect(ageOf(59 * MIN)).toEqual({ key: 'minutes', params: { count: 59 } });
    expect(ageOf(30_000)).toEqual({ key: 'now' });
    expect(ageOf(72 * 60 * MIN)).toEqual({ key: 'days', params: { count: 3 } });
  });

  it.each([
    ['ready', 'ok', 'ok', null],
    ['paper out', 'attention', 'paper-out', 'printerPaperOut'],
    ['cover open', 'attention', 'cover-open', 'printerCoverOpen'],
    ['in error', 'attention', 'error', 'printerError'],
    ['unreachable', 'offline', 'offline', 'printerOffline'],
    ['not set up', 'not-configured', 'not-configured', 'printerNotConfigured'],
  ] as const)('the printer %s', (_name, state, raw, advice) => {
    const uri = state === 'not-configured' ? null : 'tcp://10.0.0.20:9100';
    const line = lineOf(printer({ state, raw, uri, detail: state === 'offline' ? 'connect ECONNREFUSED' : null }), 'printer');
    expect(line.value.key).toBe(`device.${raw}`);
    expect(line.advice?.key ?? null).toBe(advice);
    expect(line.level).toBe(advice === null ? 'ok' : state === 'not-configured' ? 'warn' : 'bad');
    if (state === 'offline') expect(line.detail).toBe('tcp://10.0.0.20:9100\u00a0· connect ECONNREFUSED');
    else expect(line.detail).toBe(uri);
  });

  it('a ready printer with receipts the till must look at is a warning', () => {
    expect(lineOf(printer({ state: 'ok', raw: 'ready', needsAttention: 2 }), 'printer').advice).toEqual({
      key: 'printerJobs',
      params: { count: 2 },
    });
  });

  it('the drawer follows the printer it opens through, whose kick works with the paper out', () => {
    const drawer = (printerState: HealthReport['devices']['printer']['state'], raw: string) =>
      lineOf(
        withPart('devices', {
          printer: { ...base.devices.printer, state: printerState },
          drawer: { ...base.devices.drawer, state: printerState, raw },
        }),
        'drawer',
      );
    expect(drawer('ok', 'closed')).toMatchObject({ level: 'ok', value: { key: 'drawer.closed' } });
    expect(drawer('ok', 'no-sensor').level).toBe('ok');
    expect(drawer('attention', 'closed').level).toBe('ok');
    expect(drawer('ok', 'open').advice?.key).toBe('drawerOpen');
    expect(drawer('offline', 'no-sensor')).toMatchObject({ level: 'bad', advice: { key: 'drawerViaPrinter' } });
    expect(drawer('unknown', 'no-sensor').level).toBe('warn');
    expect(drawer('not-configured', 'no-sensor').advice?.key).toBe('printerNotConfigured');
  });

  it('a pole display or HID scanner not set up is fine; one set up and disconnected is a problem', () => {
    expect(lineOf(base, 'display')).toMatchObject({ level: 'ok', value: { key: 'displayNone' } });
    expect(lineOf(base, 'scanner')).toMatchObject({ level: 'ok', value: { key: 'scannerWedge' } });
    const gone = { state: 'offline' as const, raw: 'disconnected', uri: 'serial:///dev/ttyUSB1', detail: 'ENOENT' };
    const display = lineOf(withPart('devices', { display: gone }), 'display');
    expect(display).toMatchObject({ level: 'bad', value: { key: 'device.disconnected' }, advice: { key: 'displayOffline' } });
    expect(display.detail).toBe('serial:///dev/ttyUSB1\u00a0· ENOENT');
    expect(lineOf(withPart('devices', { scanner: { ...gone, lastScanAt: null } }), 'scanner').advice?.key).toBe('scannerOffline');
  });

  it('sync: online is OK, offline a warning (sales wait safely), attention a problem with the cloud’s words', () => {
    const sync = (patch: Partial<HealthReport['sync']>) => withPart('sync', { cloudUrl: 'https://cloud.example.com', ...patch });
    expect(lineOf(sync({ state: 'online' }), 'sync')).toMatchObject({ level: 'ok', detail: 'https://cloud.example.com' });
    expect(lineOf(sync({ state: 'offline' }), 'sync').advice?.key).toBe('syncOffline');
    expect(lineOf(sync({ state: 'attention', lastError: 'token revoked' }), 'sync')).toMatchObject({
      level: 'bad',
      detail: 'https://cloud.example.com\u00a0· token revoked',
    });
    expect(lineOf(base, 'sync').advice?.key).toBe('syncNotEnrolled');
  });

  it('unfinished online redemptions: none is OK; one asked minutes ago is a sale being paid; past 10 minutes a warning, past a day a problem', () => {
    const held = (ageMs: number) => lineOf(withPart('redemptions', { held: 2, value: 1_850, oldestAt: at - ageMs }), 'redemptions');
    expect(lineOf(base, 'redemptions')).toMatchObject({ level: 'ok', value: { key: 'redemptionsNone' }, advice: null });
    expect(held(2 * MIN)).toMatchObject({
      level: 'ok',
      value: { key: 'redemptionsHeld', params: { count: 2, amount: 'HK$18.50' }, ageMs: 2 * MIN },
    });
    expect(held(30 * MIN)).toMatchObject({ level: 'warn', advice: { key: 'redemptionsHeld' } });
    expect(held(25 * 60 * MIN).level).toBe('bad');
  });

  it('the queue: its length, and a warning when a sale has waited over an hour, a problem over a day', () => {
    const queue = (oldestMs: number | null) =>
      lineOf(withPart('sync', { pending: 7, pendingSales: 5, oldestPendingSaleAt: oldestMs === null ? null : at - oldestMs }), 'queue');
    expect(lineOf(base, 'queue')).toMatchObject({ level: 'ok', value: { key: 'queueEmpty' } });
    expect(queue(null)).toMatchObject({ level: 'ok', value: { key: 'queue', params: { count: 7, sales: 5 } } });
    expect(queue(10 * MIN)).toMatchObject({ level: 'ok', value: { key: 'queueWithAge', ageMs: 10 * MIN } });
    expect(queue(2 * 60 * MIN).level).toBe('warn');
    expect(queue(25 * 60 * MIN).level).toBe('bad');
  });

  it.each([
    [null, 'not-enrolled', 'ok', 'clockNoCloud'],
    [null, 'online', 'warn', 'clockUnknown'],
    [400, 'online', 'ok', 'clockSame'],
    [12_000, 'online', 'ok', 'clockBehind'],
    [-45_000, 'online', 'warn', 'clockAhead'],
    [180_000, 'online', 'bad', 'clockBehind'],
  ] as const)('clock skew %s ms (%s) is %s', (clockSkewMs, state, level, key) => {
    const line = lineOf(withPart('sync', { clockSkewMs, state }), 'clock');
    expect([line.level, line.value.key]).toEqual([level, key]);
    if (level === 'bad') expect(line.advice?.key).toBe('clockSkew');
  });

  it('the version names the app, Node, SQLite and Electron where it runs', () => {
    expect(lineOf(base, 'version').value).toEqual({
      key: 'version',
      params: { app: '0.1.0', node: '22.23.5', sqlite: '3.50.0', electron: '' },
    });
    expect(lineOf(withPart('versions', { electron: '33.2.0' }), 'version').value.key).toBe('versionElectron');
  });

  it('the headline is the worst line', () => {
    expect(
      overallLevel(
        healthItems({ ...base, ...withPart('sync', { state: 'online', clockSkewMs: 0 }), backup: { ...base.backup, lastAt: at } }),
      ),
    ).toBe(
      'warn', // the printer is not set up
    );
    expect(overallLevel(healthItems(printer({ state: 'attention', raw: 'paper-out', uri: 'tcp://x:9100' })))).toBe('bad');
    expect(overallLevel([])).toBe('ok');
  });
});

describe('the health store', () => {
  it('loads the report; a refusal goes to the error line and the next good read clears it', async () => {
    const fake = createFakePosApi();
    fake.answer('health:status', ok(base), fail('FORBIDDEN'), ok({ ...base, checkedAt: at + 5_000 }));
    const store = createHealthStore(fake.api);
    await store.getState().load();
    expect(store.getState().report?.checkedAt).toBe(at);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ error: { code: 'FORBIDDEN' }, report: { checkedAt: at } });
    await store.getState().load();
    expect(store.getState()).toMatchObject({ error: null, report: { checkedAt: at + 5_000 } });
  });

  it('a slower, older read never overwrites a newer one', async () => {
    const fake = createFakePosApi();
    const slow = deferred<ReturnType<typeof ok<HealthReport>>>();
    fake.answer('health:status', slow.promise, ok({ ...base, checkedAt: at + 5_000 }));
    const store = createHealthStore(fake.api);
    const first = store.getState().load();
    await store.getState().load();
    slow.resolve(ok(base));
    await first;
    expect(store.getState().report?.checkedAt).toBe(at + 5_000);
  });

  it('makes one bundle at a time and shows where main saved it', async () => {
    const fake = createFakePosApi();
    const made = deferred<ReturnType<typeof ok<{ name: string; file: string; bytes: number; base64: string | null }>>>();
    fake.answer('diagnostics:bundle', made.promise);
    const store = createHealthStore(fake.api);
    const making = store.getState().makeBundle();
    expect(store.getState().making).toBe(true);
    expect(await store.getState().makeBundle()).toBe(false);
    made.resolve(ok({ name: 'b.zip', file: '/data/diagnostics/b.zip', bytes: 2048, base64: null }));
    expect(await making).toBe(true);
    expect(store.getState()).toMatchObject({ making: false, bundle: { file: '/data/diagnostics/b.zip' } });
    expect(fake.calls('diagnostics:bundle')).toHaveLength(1);
  });
});

describe('the panel’s refresh', () => {
  afterEach(() => vi.useRealTimers());

  function fakeDocument(initial: 'visible' | 'hidden') {
    const listeners = new Set<() => void>();
    const doc = {
      visibilityState: initial as string,
      addEventListener: (_type: 'visibilitychange', listener: () => void) => void listeners.add(listener),
      removeEventListener: (_type: 'visibilitychange', listener: () => void) => void listeners.delete(listener),
      set(state: 'visible' | 'hidden') {
        doc.visibilityState = state;
        for (const listener of listeners) listener();
      },
      listeners,
    };
    return doc satisfies VisibilitySource;
  }

  it('reads every interval while visible, not at all while hidden, at once when shown again, and stops when closed', async () => {
    vi.useFakeTimers();
    const doc = fakeDocument('visible');
    const refresh = vi.fn(() => Promise.resolve());
    const stop = startVisibleRefresh(doc, 5_000, refresh);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(refresh).toHaveBeenCalledTimes(3);
    doc.set('hidden');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh).toHaveBeenCalledTimes(3);
    doc.set('visible');
    expect(refresh).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(refresh).toHaveBeenCalledTimes(5);
    stop();
    expect(doc.listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh).toHaveBeenCalledTimes(5);
  });

  it('skips a tick while the previous read is still out, so slow answers never pile up', async () => {
    vi.useFakeTimers();
    const doc = fakeDocument('visible');
    const pending = deferred<void>();
    const refresh = vi.fn(() => pending.promise);
    const stop = startVisibleRefresh(doc, 5_000, refresh);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    pending.resolve();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    stop();
  });

  it('opened in a hidden page, it waits until the page is shown', async () => {
    vi.useFakeTimers();
    const doc = fakeDocument('hidden');
    const refresh = vi.fn(() => Promise.resolve());
    const stop = startVisibleRefresh(doc, 5_000, refresh);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refresh).not.toHaveBeenCalled();
    doc.set('visible');
    expect(refresh).toHaveBeenCalledTimes(1);
    stop();
  });
});
