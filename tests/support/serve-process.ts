import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { withTimeout } from './bounded.mjs';
import { hostArgs } from './host-command.mjs';

export const CLI = join(process.cwd(), 'dist', 'host', 'cli.js');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** How long the host may take to print its URL on a loaded machine before the test fails saying so. */
const START_BOUND_MS = 30_000;

/**
 * Runs the built kiosk host (`npm run build` first) and resolves once it prints its URL; a host that
 * never does is killed and the test fails with what it printed. `boundMs` widens the bound for a
 * spec that starts several hosts beside a cloud (orders.spec.ts).
 */
export function startServe(args: string[], boundMs = START_BOUND_MS): Promise<ServeProcess> {
  const child = spawn(process.execPath, hostArgs(process.cwd(), args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no URL within ${boundMs} ms:\n${out}\n${err}`));
    }, boundMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) {
        clearTimeout(bound);
        resolve({ child, url, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(bound);
      reject(new Error(`serve exited with ${code} before printing its URL:\n${out}\n${err}`));
    });
  });
}

/** Runs the kiosk host CLI to completion (bounded like runNodeScript). */
export function runServe(args: string[], boundMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNodeScript(CLI, args, boundMs);
}

/** Runs a built node script to completion, collecting what it prints; killed, and an error saying so, after `boundMs`. */
export function runNodeScript(
  script: string,
  args: string[],
  boundMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return withTimeout(done, boundMs, `node ${script} ${args.join(' ')} to finish`).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${stdout}\n${stderr}`);
  });
}

/** Stops the host: SIGTERM, then SIGKILL and an error naming it if it has not exited within `boundMs`. */
export async function stopServe(serve: ServeProcess, boundMs = 10_000): Promise<void> {
  serve.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
  const outcome = await Promise.race([serve.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    serve.child.kill('SIGKILL');
    await withTimeout(serve.exited, 5_000, 'the kiosk host to exit after SIGKILL');
    throw new Error(`serve did not exit within ${boundMs} ms of SIGTERM:\n${serve.stderr()}`);
  }
}
