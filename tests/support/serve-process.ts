import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

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

/** Runs the built kiosk host (`npm run build` first) and resolves once it prints its URL; a host that never does is killed and the test fails with what it printed. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no URL within ${START_BOUND_MS} ms:\n${out}\n${err}`));
    }, START_BOUND_MS);
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

/** Runs the kiosk host CLI to completion. */
export function runServe(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNodeScript(CLI, args);
}

/** Runs a built node script to completion, collecting what it prints. */
export function runNodeScript(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
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
    await serve.exited;
    throw new Error(`serve did not exit within ${boundMs} ms of SIGTERM:\n${serve.stderr()}`);
  }
}
