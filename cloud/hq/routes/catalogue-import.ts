/**
 * The catalogue CSV import, server side (cloud/domain/catalogue-import.ts does the work): upload in
 * chunks, then a check (dry run) and an apply that run in the background while the console polls
 * their progress. Owners and HQ managers only (`catalogue.import`), refused here for anyone else.
 */
import { toCsv, type CsvCell } from '../../../src/shared/csv';
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import {
  appendChunk,
  applyImport,
  checkImport,
  createImport,
  findImport,
  listImportErrors,
  listImports,
} from '../../domain/catalogue-import';
import { ImportChunkBody, ImportCreateBody, ImportErrorsQuery, type ImportTask } from '../contract';
import type { HqRouter } from '../router';

const ImportParams = z.object({ id: z.coerce.number().int().positive() });

/** Tasks kept after they finish, so a poll still sees the outcome; the oldest go first. */
const KEEP_FINISHED = 50;

export function catalogueImportRoutes(router: HqRouter): void {
  const { pool, clock } = router;
  const tasks = new Map<number, ImportTask>();

  function start(id: number, phase: ImportTask['phase'], work: (task: ImportTask) => Promise<unknown>): ImportTask {
    const running = tasks.get(id);
    if (running && !running.finished) throw new CloudError('CONFLICT', `Import ${id} is already ${running.phase}`);
    const task: ImportTask = { phase, done: 0, total: 1, finished: false, error: null };
    tasks.delete(id);
    tasks.set(id, task);
    for (const [key, old] of tasks) {
      if (tasks.size <= KEEP_FINISHED) break;
      if (old.finished) tasks.delete(key);
    }
    void work(task).then(
      () => {
        task.finished = true;
      },
      (error: unknown) => {
        task.finished = true;
        task.error =
          error instanceof CloudError
            ? { code: error.code, message: error.message }
            : { code: 'INTERNAL', message: 'The import failed on the server; nothing was changed' };
      },
    );
    return task;
  }

  router.get('/imports', { permission: 'catalogue.import' }, async (ctx) => ({ imports: await listImports(pool, ctx.merchantId) }));

  router.post('/imports', { permission: 'catalogue.import', body: ImportCreateBody }, async (ctx, { body }) => ({
    import: await createImport(pool, ctx.merchantId, ctx.user.id, body.fileName, ctx.now),
  }));

  router.post(
    '/imports/:id/chunks',
    { permission: 'catalogue.import', params: ImportParams, body: ImportChunkBody },
    async (ctx, { params, body }) => ({
      import: await appendChunk(pool, ctx.merchantId, params.id, body.seq, body.text),
    }),
  );

  router.get('/imports/:id', { permission: 'catalogue.import', params: ImportParams }, async (ctx, { params }) => ({
    import: await findImport(pool, ctx.merchantId, params.id),
    task: tasks.get(params.id) ?? null,
  }));

  router.post('/imports/:id/check', { permission: 'catalogue.import', params: ImportParams }, async (ctx, { params }, reply) => {
    await findImport(pool, ctx.merchantId, params.id);
    const task = start(params.id, 'checking', (t) =>
      checkImport(pool, ctx.merchantId, params.id, clock.now(), (done, total) => {
        t.done = done;
        t.total = total;
      }),
    );
    void reply.status(202);
    return { task };
  });

  router.post('/imports/:id/apply', { permission: 'catalogue.import', params: ImportParams }, async (ctx, { params }, reply) => {
    const record = await findImport(pool, ctx.merchantId, params.id);
    if (record.status !== 'checked' || (record.errorCount ?? 0) > 0)
      throw new CloudError(
        'CONFLICT',
        `Import ${params.id} cannot be applied: it is ${record.status} with ${record.errorCount ?? 0} bad rows`,
      );
    const task = start(params.id, 'applying', (t) =>
      applyImport(pool, ctx.merchantId, params.id, clock.now(), {
        progress: (done, total) => {
          t.done = done;
          t.total = total;
        },
        inTransaction: (client, summary) => ctx.audit(client, 'catalogue.import', record.fileName || `import ${params.id}`, null, summary),
      }),
    );
    void reply.status(202);
    return { task };
  });

  router.get(
    '/imports/:id/errors',
    { permission: 'catalogue.import', params: ImportParams, query: ImportErrorsQuery },
    async (ctx, { params, query }) => {
      const record = await findImport(pool, ctx.merchantId, params.id);
      return { errors: await listImportErrors(pool, ctx.merchantId, params.id, query), total: record.errorCount ?? 0 };
    },
  );

  router.get('/imports/:id/errors.csv', { permission: 'catalogue.import', params: ImportParams }, async (ctx, { params }, reply) => {
    const errors = await listImportErrors(pool, ctx.merchantId, params.id);
    const rows: CsvCell[][] = [
      ['row', 'column', 'code', 'reason_zh', 'reason_en'],
      ...errors.map((e) => [e.row, e.column, e.code, e.zh, e.en]),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`)
      .send(toCsv(rows));
  });
}
