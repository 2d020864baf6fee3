import type { ChildProcess } from 'node:child_process';

/** Resolves or rejects like `promise`, or rejects with "timed out after N ms: <what>" after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
/** The child's exit code (null when a signal ended it), at once if it has already exited. */
export function exitOf(child: ChildProcess): Promise<number | null>;
/** `signal` (SIGTERM), then SIGKILL and an error naming `what` if the child outlives `boundMs` (10 s). */
export function stopChild(
  child: ChildProcess,
  what: string,
  options?: { boundMs?: number; signal?: NodeJS.Signals },
): Promise<number | null>;
