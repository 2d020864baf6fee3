/**
 * The back office's stores, built like the till's: a factory takes the PosApi (a fake in node
 * tests) and holds a section's data and its calls to main; the section's components keep only
 * what is on screen (drafts being typed, which confirmation is open).
 *
 * A section store lives as long as its section is open (see use-section-store.ts).
 */
import type { PosErrorBody, Result } from '../../../shared/errors';

/** What every section store offers: load (or reload) its data from main. */
export interface SectionData {
  load(): Promise<void>;
}

/**
 * Orders overlapping calls of one kind (a reload while a reload is running): `begin()` gives a
 * check that is true only while no newer call began, so a slower, older answer is dropped.
 */
export function newestOnly(): { begin(): () => boolean } {
  let seq = 0;
  return {
    begin() {
      const mine = ++seq;
      return () => mine === seq;
    },
  };
}

/** A section's error line: main's last refusal, cleared by the next success. */
export interface ErrorLineState {
  error: PosErrorBody | null;
}

/**
 * Takes an answer into a section store: true with the error line cleared, or false with main's
 * refusal on the error line.
 */
export function accepted<T>(answer: Result<T>, set: (patch: ErrorLineState) => void): answer is { ok: true; value: T } {
  set({ error: answer.ok ? null : answer.error });
  return answer.ok;
}

/**
 * The actions of a section whose every call answers with its new status (backup, updates, training): busy
 * while one runs, a refusal on the error line, and the answer shown as the status, newer than any
 * read still in flight.
 */
export function statusActions<T>(
  set: (patch: { busy: boolean } | { status: T } | ErrorLineState) => void,
  reads: { begin(): () => boolean },
): (call: () => Promise<Result<T>>) => Promise<boolean> {
  return async (call) => {
    set({ busy: true });
    try {
      const answer = await call();
      if (!accepted(answer, set)) return false;
      reads.begin();
      set({ status: answer.value });
      return true;
    } finally {
      set({ busy: false });
    }
  };
}

/** The `load` of such a section: reads its status, kept only if no newer read or action began since. */
export function statusLoader<T>(
  set: (patch: { status: T } | ErrorLineState) => void,
  reads: { begin(): () => boolean },
  read: () => Promise<Result<T>>,
): () => Promise<void> {
  return async () => {
    const current = reads.begin();
    const answer = await read();
    if (current() && accepted(answer, set)) set({ status: answer.value });
  };
}
