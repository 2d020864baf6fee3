/**
 * The health report (`health:status`, the bundle's health.json) carries the backup schedule, so the
 * 健康狀態 panel can say when the last backup is older than the schedule allows: read live from the
 * running register and from the data folder alone (`npm run diagnostics`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HealthReport } from '../../../src/shared/diagnostics-schemas';
import { appPaths } from '../../../src/main/app-paths';
import { loadMigrations } from '../../../src/main/db/migrate';
import { openDatabase } from '../../../src/main/db/open';
import { readHealthReport } from '../../../src/main/diagnostics/health';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const openRegister = useDemoRegisters();
const latestSchema = loadMigrations(appPaths().migrationsDir).length;

describe('the health report’s backup schedule', () => {
  it('says the schedule live, follows a change in 備份及還原, and reads the same from the folder alone', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const before = HealthReport.parse(await session.call('health:status'));
    expect(before.backup).toMatchObject({ lastAt: null, scheduled: true, intervalMinutes: 60, count: 0 });
    expect(before.versions.schema).toBe(latestSchema);
    expect(before.versions.schemaLatest).toBe(latestSchema);

    await session.call('backup:save-settings', {
      scheduled: false,
      intervalMinutes: 240,
      keepRecent: 48,
      keepDays: 14,
      secondFolder: null,
    });
    await session.call('backup:create');
    const after = HealthReport.parse(await session.call('health:status'));
    expect(after.backup).toMatchObject({ scheduled: false, intervalMinutes: 240, count: 1 });
    expect(after.backup.lastAt).toBeGreaterThan(0);
    session.close();

    const db = openDatabase(join(session.dataDir, 'register.db'));
    try {
      const offline = await readHealthReport({
        db,
        dataDir: session.dataDir,
        dbFile: join(session.dataDir, 'register.db'),
        appVersion: '0.0.0-test',
        latestSchema,
        now: Date.now(),
      });
      expect(offline.source).toBe('cli');
      expect(offline.backup).toMatchObject({ scheduled: false, intervalMinutes: 240, count: 1, lastAt: after.backup.lastAt });
    } finally {
      db.close();
    }
  });
});
