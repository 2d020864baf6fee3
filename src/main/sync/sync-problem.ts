/**
 * Why a sync request failed, as a typed problem (SyncProblem) with the raw words behind it: the
 * worker records both in sync_health.last_error, so 雲端同步 words the problem in the reader's
 * language and shows the raw words only labelled for IT.
 */
import { SyncProblem } from '../../shared/sync-schemas';
import type { CloudAnswer } from './cloud-client';
import { isTlsFailure } from './enrol-refusal';

export interface SyncProblemRecord {
  code: SyncProblem;
  /** The other side's own words (a connection's error code, the cloud's code and message), English. */
  detail: string;
}

/**
 * The problem a failed answer shows: classified as an enrolment's refusal is (enrol-refusal.ts);
 * a refusal that needs a person (`attention`, the engine's judgement of it) is that.
 */
export function syncProblemOf(
  answer: Exclude<CloudAnswer<unknown>, { kind: 'ok' }>,
  attention: 'token-revoked' | 'token-invalid' | 'update-required' | null = null,
): SyncProblemRecord {
  if (answer.kind === 'unreachable') {
    const detail = answer.message;
    if (answer.status === null) return { code: isTlsFailure(detail) ? 'certificate' : 'unreachable', detail };
    // something answered, but not in JSON: a load balancer's error page, or a web site at the address
    return { code: answer.status >= 500 ? 'cloud-failed' : 'not-suanpan', detail };
  }
  const detail = `${answer.code}: ${answer.message}`;
  if (attention !== null) return { code: attention, detail };
  if (answer.status >= 500) return { code: 'cloud-failed', detail };
  if (answer.status === 429) return { code: 'busy', detail };
  return { code: 'refused', detail };
}

/** The column's text: JSON, so the code and the words come back apart. */
export function storedProblem(problem: SyncProblemRecord | null): string | null {
  return problem === null ? null : JSON.stringify(problem);
}

/**
 * The column read back. Text a version before this one wrote (its words only) has no code: the
 * words stay, for IT, and the screen says only that sync had a problem.
 */
export function readStoredProblem(text: string | null): { code: SyncProblem | null; detail: string | null } {
  if (text === null) return { code: null, detail: null };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const { code, detail } = parsed as { code?: unknown; detail?: unknown };
      const known = SyncProblem.safeParse(code);
      if (known.success && typeof detail === 'string') return { code: known.data, detail };
    }
  } catch {
    // not JSON: an older version's words
  }
  return { code: null, detail: text };
}
