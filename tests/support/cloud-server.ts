/**
 * The built cloud service (cloud/build.mjs → server.js, admin.js) as a child process, for the tests
 * that start, SIGKILL and restart it (vitest and Playwright alike). Every wait is bounded: the build,
 * the "listening at" line, and each stop fail with a message instead of hanging.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exitOf, stopChild, withTimeout } from './bounded.mjs';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles the cloud into a fresh folder under dist/ (so its bundles resolve node_modules as the real build does). */
export async function buildCloud(): Promise<{ dir: string; remove(): void }> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'dist', '.cloud-test-'));
  await run(process.execPath, ['cloud/build.mjs', '--outdir', dir], { cwd: ROOT, timeout: 120_000 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CloudServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  exited: Promise<number | null>;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM; answers the exit code (an error if it outlives 10 s). */
  stop(): Promise<number | null>;
}

/** Starts `serverJs` on `databaseUrl`; resolves once it logs that it listens, or fails within `boundMs` saying what it printed. */
export async function startCloudServer(
  serverJs: string,
  databaseUrl: string,
  { port = 0, boundMs = 30_000, enrolAttemptsPerMinute }: { port?: number; boundMs?: number; enrolAttemptsPerMinute?: number } = {},
): Promise<CloudServer> {
  const child = spawn(process.execPath, [serverJs, '--port', String(port), '--host', '127.0.0.1'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      ...(enrolAttemptsPerMinute === undefined ? {} : { ENROL_ATTEMPTS_PER_MINUTE: String(enrolAttemptsPerMinute) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = exitOf(child);
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`the cloud exited (${code}) before listening:\n${output}`)));
  });
  const url = await withTimeout(listening, boundMs, 'the cloud to log "listening at"').catch(async (error: Error) => {
    await stopChild(child, 'the cloud').catch(() => undefined);
    throw new Error(`${error.message}\n${output}`);
  });
  return {
    url,
    port: Number(new URL(url).port),
    exited,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await withTimeout(exited, 5_000, 'the cloud to exit after SIGKILL');
    },
    stop: () => stopChild(child, 'the cloud'),
  };
}
