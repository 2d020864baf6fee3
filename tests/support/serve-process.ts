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

/** Runs the built kiosk host (`npm run build` first) and resolves once it prints its URL. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) resolve({ child, url, stdout: () => out, stderr: () => err, exited });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    void exited.then((code) => reject(new Error(`serve exited with ${code} before printing its URL:\n${out}\n${err}`)));
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
