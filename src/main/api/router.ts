/**
 * The one place a request from a window enters main. In order: the channel must exist, the payload
 * must match its schema, the logged-in staff member must be allowed; only then does the plain
 * handler run. Whatever happens, the caller gets an envelope, never an exception.
 */
import type { z } from 'zod';
import { channels, isChannelName, type ChannelName, type ChannelResponse } from '../../shared/channels';
import { PosError, fail, ok, type Result } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { Logger } from '../log';
import { diskFullError, isDiskFull } from '../db/disk-full';

/**
 * Who is calling, as the handler of channel K sees it. A channel whose access is not `public`
 * needs a login, which the router has checked: its handler gets the staff member, never null.
 */
export type HandlerContext<K extends ChannelName> = (typeof channels)[K]['access'] extends 'public'
  ? { staff: StaffSummary | null }
  : { staff: StaffSummary };

export type Handlers = {
  [K in ChannelName]: (
    req: z.output<(typeof channels)[K]['req']>,
    ctx: HandlerContext<K>,
  ) => ChannelResponse<K> | Promise<ChannelResponse<K>>;
};

/**
 * Reads the screens poll (status bar, customer window, panels that refresh): not logged, or they
 * would push the day's events out of the rotated files. Every other request is one log line.
 */
const QUIET_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'register:status',
  'customer:view',
  'sync:status',
  'health:status',
  'print:jobs',
  'display:status',
  'scanner:status',
  'cart:get',
]);

export interface ApiRouter {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>;
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.') || '(payload)', message: issue.message }));
}

export function createApiRouter(deps: {
  handlers: Handlers;
  currentStaff: () => StaffSummary | null;
  log: Logger;
  onDiskFull?: () => void;
}): ApiRouter {
  const { handlers, currentStaff, log, onDiskFull } = deps;
  let requestSeq = 0;

  async function run<K extends ChannelName>(channel: K, payload: unknown, staff: StaffSummary | null): Promise<Result<unknown>> {
    const spec = channels[channel];
    const parsed = spec.req.safeParse(payload);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      return fail('BAD_REQUEST', `Invalid request for ${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    if (spec.access !== 'public') {
      if (!staff) return fail('NOT_LOGGED_IN', 'Log in first');
      // `staff.permissions` comes from the permission matrix as it is now, not as it was at login.
      if (spec.access !== 'session' && !staff.permissions.includes(spec.access)) {
        return fail('FORBIDDEN', `${staff.roleNameEn} (${staff.role}) may not use ${channel}: it needs ${spec.access}`);
      }
    }
    // Past the access check, `staff` is non-null for every channel whose HandlerContext says so.
    const handler = handlers[channel] as (req: unknown, ctx: { staff: StaffSummary | null }) => unknown;
    const value = await handler(parsed.data, { staff });
    // The response schema is the contract too: a handler that breaks it is a bug, caught here.
    const checked = spec.res.safeParse(value);
    if (!checked.success) {
      log.error('handler answered outside its schema', { channel, issues: describeIssues(checked.error) });
      return fail('INTERNAL', 'The register answered with data it should not have; see the log');
    }
    return ok(checked.data);
  }

  return {
    async dispatch(channel, payload) {
      // One id per request, in every log line it causes, so IT can follow one call through the log.
      const requestId = (++requestSeq).toString(36);
      if (!isChannelName(channel)) {
        return fail('UNKNOWN_CHANNEL', `No channel named ${JSON.stringify(String(channel).slice(0, 64))}`);
      }
      const started = performance.now();
      // Who asked, read before the handler runs (a restore closes the database the staff lookup
      // reads), inside the try below: a register closing under a queued request answers INTERNAL.
      let staffId: number | null = null;
      // One line per request: which channel, who, how long, and the outcome's code; never the payload
      // (PINs, phones, card digits travel in payloads). The file logger redacts what is written anyway.
      const logged = (result: Result<unknown>): Result<unknown> => {
        if (QUIET_CHANNELS.has(channel) && result.ok) return result;
        const fields = {
          requestId,
          channel,
          staffId,
          ms: Math.round(performance.now() - started),
          ...(result.ok ? {} : { refused: result.error.code, reason: result.error.message }),
        };
        // Written after the answer is sent (setImmediate comes after the reply's microtasks): the
        // caller does not wait for the log's disk write.
        if (result.ok) setImmediate(() => log.info('request', fields));
        else if (result.error.code !== 'INTERNAL') setImmediate(() => log.warn('request refused', fields));
        return result;
      };
      try {
        // Read once: the access check and the handler see the same staff member as the log line.
        const staff = currentStaff();
        staffId = staff?.id ?? null;
        return logged(await run(channel, payload, staff));
      } catch (error) {
        if (error instanceof PosError) return logged({ ok: false, error: error.toBody() });
        if (isDiskFull(error)) {
          log.error('the disk is full: nothing was written', { requestId, channel, error: String(error) });
          onDiskFull?.();
          return { ok: false, error: diskFullError().toBody() };
        }
        log.error('handler failed', { requestId, channel, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        return fail('INTERNAL', 'Something went wrong in the register; see the log');
      }
    },
  };
}
