/**
 * What a register tells the cloud about itself on every push and pull (issue 16): its app version
 * and its outbox (documents not yet acknowledged, and those the cloud put aside). They travel as
 * request headers, so the push body and the change feed's query stay as they are. Each field is
 * checked on its own: a bad one is left out (and logged by the cloud), never a refused push.
 */
import * as z from './zod';

export const REPORT_HEADERS = {
  appVersion: 'suanpan-app-version',
  queueDepth: 'suanpan-queue-depth',
  quarantined: 'suanpan-quarantined',
} as const;

const Count = z
  .string()
  .regex(/^\d{1,9}$/, 'a whole number, at most 9 digits')
  .transform(Number);

export const RegisterReportFields = {
  // Semantic versions as package.json and the update feed write them (cloud migration 0010's pattern).
  appVersion: z
    .string()
    .max(64)
    .regex(/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$/, 'a semantic version like 1.2.3'),
  queueDepth: Count,
  quarantined: Count,
};

export interface RegisterReport {
  appVersion: string | null;
  queueDepth: number | null;
  quarantined: number | null;
}

/** The headers a register sends. */
export function reportHeaders(report: { appVersion: string; queueDepth: number; quarantined: number }): Record<string, string> {
  return {
    [REPORT_HEADERS.appVersion]: report.appVersion,
    [REPORT_HEADERS.queueDepth]: String(report.queueDepth),
    [REPORT_HEADERS.quarantined]: String(report.quarantined),
  };
}

/** The fields a request's headers carry (null: absent or unusable) and what was wrong with the unusable ones. */
export function readReportHeaders(headers: Record<string, string | string[] | undefined>): {
  report: RegisterReport;
  problems: string[];
} {
  const problems: string[] = [];
  function read<T>(schema: z.ZodType<T>, name: string): T | null {
    const raw = headers[name];
    if (raw === undefined) return null;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'} (${JSON.stringify(String(raw).slice(0, 40))})`);
    return null;
  }
  const report: RegisterReport = {
    appVersion: read(RegisterReportFields.appVersion, REPORT_HEADERS.appVersion),
    queueDepth: read(RegisterReportFields.queueDepth, REPORT_HEADERS.queueDepth),
    quarantined: read(RegisterReportFields.quarantined, REPORT_HEADERS.quarantined),
  };
  return { report, problems };
}
