/**
 * Work the register runs in a process of its own: a backup's copy, check and archive, and the
 * database check at start. Its memory never stays in the register's resident set (a backup at
 * 200,000 products left the kiosk host 25–30 MiB larger for the rest of the day when it ran in the
 * host, issue 18: host-rss-hwm-mib), and it dies at once when the register exits, where a thread
 * inside SQLite's read held the exit up for seconds.
 *
 * The script is a bundled file in dist/ (child-io.ts on its side). Under plain Node (the kiosk host,
 * the CLIs) it is `node <file>`; the packaged Electron app cannot run its own binary as Node (the
 * runAsNode fuse is off, electron-builder.yml), so Electron's main process installs a launcher that
 * forks an Electron utility process instead (src/main/electron/utility-child.ts).
 */
import { spawn } from 'node:child_process';

/** A started child: its output, a way to give it its one input, to kill it, and to hear it end. */
export interface LaunchedChild {
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  /** Gives the child its input (the child reads it with `readChildInput`). Secrets go this way, never on the command line. */
  send(input: string): void;
  kill(): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
}

export type ChildLauncher = (file: string, args: string[]) => LaunchedChild;

/** `node <file> <args>`: the input on its stdin. */
export const nodeLauncher: ChildLauncher = (file, args) => {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  // A child that died before reading its input must not crash the register with EPIPE.
  child.stdin.on('error', () => {});
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    send: (input) => child.stdin.end(input),
    kill: () => void child.kill('SIGKILL'),
    onExit: (listener) => void child.once('close', listener),
    onError: (listener) => void child.once('error', listener),
  };
};

let launcher: ChildLauncher = nodeLauncher;

/** Electron's main process installs its launcher before the register starts. */
export function useChildLauncher(next: ChildLauncher): void {
  launcher = next;
}

export interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the process could not be started at all. */
  error: Error | null;
}

export interface RunningChild {
  /** Settles when the child has ended, however it ended. */
  result: Promise<ChildRun>;
  /** Kills it at once; `result` still settles. */
  kill(): void;
}

const running = new Set<LaunchedChild>();
let killOnExit = false;

/** Starts `file` with `args` and gives it `input`; killed after `timeoutMs`, and when the register exits. */
export function startChild(file: string, args: string[], options: { input: string; timeoutMs: number }): RunningChild {
  const child = launcher(file, args);
  running.add(child);
  if (!killOnExit) {
    killOnExit = true;
    process.once('exit', () => running.forEach((c) => c.kill()));
  }
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let error: Error | null = null;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.send(options.input);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill();
  }, options.timeoutMs);
  const result = new Promise<ChildRun>((resolve) => {
    const settle = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, error });
    };
    // A launch that failed may never report an exit: it settles the run too (the first to come wins).
    child.onError((cause) => {
      error = cause;
      child.kill();
      settle(null, null);
    });
    child.onExit(settle);
  });
  return { result, kill: () => child.kill() };
}

export const runChild = (file: string, args: string[], options: { input: string; timeoutMs: number }): Promise<ChildRun> =>
  startChild(file, args, options).result;

/**
 * The child's JSON answer, or why there is none (`what` names the work in the reason): killed at
 * its bound, not started, or stopped without answering (its exit and the start of its stderr).
 */
export function childAnswer<T>(run: ChildRun, what: string, timeoutMs: number): { ok: true; value: T } | { ok: false; reason: string } {
  if (run.timedOut) return { ok: false, reason: `${what} did not finish within ${Math.round(timeoutMs / 1000)} s` };
  if (run.error) return { ok: false, reason: `${what} failed to run: ${run.error.message}` };
  try {
    return { ok: true, value: JSON.parse(run.stdout) as T };
  } catch {
    return { ok: false, reason: `${what} stopped (exit ${run.code ?? run.signal}): ${run.stderr.trim().slice(0, 500)}` };
  }
}
