/**
 * The mall turnover export's screen, server side: each store's tenant code, template and schedule;
 * a preview of a day's file; sending one now; the log of what was sent, with each file's bytes.
 * Everyone may look (a store manager at their stores only); owners and HQ managers change and send,
 * and set and test the store's SFTP destination (its password or key is never answered or audited).
 */
import * as z from '../../../src/shared/zod';
import { storeDate, addDays } from '../../../src/shared/store-time';
import { CloudError } from '../../errors';
import {
  buildMallFile,
  configOf,
  listMallLog,
  loadMallExport,
  mallExampleTemplates,
  mallLogFile,
  runMallExport,
  saveMallExport,
  saveMallSftp,
  sftpTestTarget,
  type MallSenders,
} from '../../domain/mall-export';
import { MallExportBody, MallRunBody, MallSftpBody, type MallExportRow, type MallSftpProbe } from '../contract';
import type { HqContext, HqRouter } from '../router';

const StoreParams = z.object({ storeId: z.coerce.number().int().positive() });
const LogParams = z.object({ id: z.coerce.number().int().positive() });

export function mallExportRoutes(router: HqRouter, senders: MallSenders): void {
  const { pool, clock } = router;

  function ownStore(ctx: HqContext, storeId: number): void {
    if (!ctx.mayStore(storeId)) throw new CloudError('NOT_FOUND', `No store ${storeId}`);
  }

  async function configured(ctx: HqContext, storeId: number) {
    ownStore(ctx, storeId);
    const row = await loadMallExport(pool, ctx.merchantId, storeId);
    if (!row) throw new CloudError('NOT_FOUND', 'This store has no mall export set up yet');
    return row;
  }

  router.get('/mall/templates', { permission: 'mall.view' }, async (ctx) => ({
    templates: mallExampleTemplates,
    senders: Object.keys(senders),
    yesterday: addDays(storeDate(ctx.now, ctx.timeZone), -1),
  }));

  router.get('/mall/exports', { permission: 'mall.view' }, async (ctx): Promise<{ exports: MallExportRow[] }> => {
    const stores = (
      await pool.query<{ id: number; code: string; name_zh: string; name_en: string }>(
        'SELECT id, code, name_zh, name_en FROM store WHERE merchant_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) ORDER BY code',
        [ctx.merchantId, ctx.storeScope],
      )
    ).rows;
    const exports: MallExportRow[] = [];
    for (const store of stores) {
      const row = await loadMallExport(pool, ctx.merchantId, store.id);
      exports.push({
        storeId: store.id,
        storeCode: store.code,
        storeNameZh: store.name_zh,
        storeNameEn: store.name_en,
        config: row ? configOf(row) : null,
      });
    }
    return { exports };
  });

  router.put(
    '/mall/exports/:storeId',
    { permission: 'mall.manage', params: StoreParams, body: MallExportBody },
    async (ctx, { params, body }) => {
      ownStore(ctx, params.storeId);
      const before = await loadMallExport(pool, ctx.merchantId, params.storeId);
      const row = await saveMallExport(pool, ctx.merchantId, params.storeId, body, senders, ctx.now);
      const config = configOf(row);
      await ctx.audit(pool, 'mall-export.save', row.store_code, before ? configOf(before) : null, config);
      return { config };
    },
  );

  function sftpSender() {
    if (!senders.sftp)
      throw new CloudError('BAD_REQUEST', 'SFTP needs SUANPAN_SECRET_KEY on the server (see cloud/README.md)', {
        issues: [{ path: 'sender', message: 'SFTP_UNAVAILABLE' }],
      });
    return senders.sftp;
  }

  /** The store's SFTP destination: audited with what changed, the secret only as 已設定 / set (and whether it was replaced). */
  router.put(
    '/mall/exports/:storeId/sftp',
    { permission: 'mall.manage', params: StoreParams, body: MallSftpBody },
    async (ctx, { params, body }) => {
      const sender = sftpSender();
      const row = await configured(ctx, params.storeId);
      const before = configOf(row).sftp;
      const saved = configOf(await saveMallSftp(pool, ctx.merchantId, params.storeId, body, sender, ctx.now));
      const secretReplaced = body.password !== undefined || body.privateKey !== undefined;
      await ctx.audit(pool, 'mall-export.sftp', row.store_code, before, { ...saved.sftp, secretReplaced });
      return { config: saved };
    },
  );

  /** 測試連線: with no pinned key, only the key the server shows (nothing is sent); else logs in and checks the folder. */
  router.post(
    '/mall/exports/:storeId/sftp/test',
    { permission: 'mall.manage', params: StoreParams, body: MallSftpBody },
    async (ctx, { params, body }): Promise<{ probe: MallSftpProbe }> => {
      const sender = sftpSender();
      const row = await configured(ctx, params.storeId);
      return { probe: await sender.test(await sftpTestTarget(pool, row, body, sender)) };
    },
  );

  router.post(
    '/mall/exports/:storeId/preview',
    { permission: 'mall.view', params: StoreParams, body: MallRunBody },
    async (ctx, { params, body }) => {
      const row = await configured(ctx, params.storeId);
      const file = await buildMallFile(pool, row, body.day, ctx.now);
      return { fileName: file.fileName, text: file.content.toString('utf8') };
    },
  );

  router.post(
    '/mall/exports/:storeId/run',
    { permission: 'mall.manage', params: StoreParams, body: MallRunBody },
    async (ctx, { params, body }) => {
      const row = await configured(ctx, params.storeId);
      const log = await runMallExport(pool, row, body.day, {
        trigger: 'manual',
        userEmail: ctx.user.email,
        senders,
        now: () => clock.now(),
      });
      await ctx.audit(pool, 'mall-export.send', `${row.store_code} ${body.day}`, null, log);
      return { log };
    },
  );

  router.get('/mall/log', { permission: 'mall.view' }, async (ctx) => ({ log: await listMallLog(pool, ctx.merchantId, ctx.storeScope) }));

  router.get('/mall/log/:id/file', { permission: 'mall.view', params: LogParams }, async (ctx, { params }, reply) => {
    const file = await mallLogFile(pool, ctx.merchantId, params.id);
    ownStore(ctx, file.storeId);
    return reply
      .type(file.fileName.toLowerCase().endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .send(file.content);
  });
}
