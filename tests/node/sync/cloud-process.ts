/**
 * The built cloud service (dist/cloud/server.js, bundled from the current source) as a child
 * process, so a test can SIGKILL it mid-push and start it again on the same database.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helpers';

const run = promisify(execFile);

export interface CloudProcess {
  port: number;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function buildCloud(): Promise<{ dir: string; remove(): void }> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'dist', '.cloud-sync-test-'));
  await run(process.execPath, ['cloud/build.mjs', '--outdir', dir], { cwd: ROOT });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startCloudProcess(dir: string, databaseUrl: string, port = 0): Promise<CloudProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(dir, 'server.js'), '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/i.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          port: Number(match[1]),
          async kill() {
            child.kill('SIGKILL');
            await exited;
          },
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the cloud exited before listening:\n${output}`)));
  });
}
