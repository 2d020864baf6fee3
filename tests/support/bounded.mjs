// Every wait in the tests and benchmarks has a bound and, past it, fails saying what it waited for
// instead of hanging (issue 10). Plain JavaScript, so bench/*.mjs, vitest and Playwright share one
// copy; types in bounded.d.mts.

/** Resolves or rejects like `promise`, or rejects with "timed out after N ms: <what>" after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The child's exit code (null when a signal ended it), at once if it has already exited. */
export function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Stops a child process: `signal` (SIGTERM unless given), then, if it has not exited within
 * `boundMs`, SIGKILL and an error naming `what` (a SIGKILLed child gets 5 s more, then fails too).
 * Resolves with the exit code.
 */
export async function stopChild(child, what, { boundMs = 10_000, signal = 'SIGTERM' } = {}) {
  const exited = exitOf(child);
  child.kill(signal);
  try {
    return await withTimeout(exited, boundMs, `${what} to exit after ${signal}`);
  } catch (error) {
    child.kill('SIGKILL');
    await withTimeout(exited, 5_000, `${what} to exit after SIGKILL`);
    throw error;
  }
}
