import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two linked pseudo-terminals from socat: the driver opens `devicePath` as if it were the pole
 * display's serial port, and the emulator reads what arrives at `peerPath`. Killing socat is
 * unplugging the display (the driver's port sees a hang-up and the links disappear); starting a
 * new pair on the same paths is plugging it back in.
 */
export interface SocatPair {
  readonly devicePath: string;
  readonly peerPath: string;
  /** Stops socat (the "unplug"); resolves when it has exited and removed its links. */
  kill(): Promise<void>;
}

export interface SocatPairOptions {
  /** Reuse paths to "replug" a display; default: fresh links in a new temp directory. */
  readonly devicePath?: string;
  readonly peerPath?: string;
  readonly socatPath?: string;
  /** How long to wait for socat to report both ptys; default 5 s. */
  readonly startTimeoutMs?: number;
}

export function startSocatPair(options: SocatPairOptions = {}): Promise<SocatPair> {
  const dir = options.devicePath === undefined || options.peerPath === undefined ? mkdtempSync(join(tmpdir(), 'suanpan-pty-')) : '';
  const devicePath = options.devicePath ?? join(dir, 'display');
  const peerPath = options.peerPath ?? join(dir, 'peer');
  const child: ChildProcess = spawn(
    options.socatPath ?? 'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${peerPath}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = options.startTimeoutMs ?? 5000;

  return new Promise<SocatPair>((resolve, reject) => {
    let log = '';
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`socat did not start within ${timeoutMs} ms: ${log.trim()}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (apt install socat): ${e.message}`));
    });
    const earlyExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code} before starting: ${log.trim()}`));
    };
    child.once('exit', earlyExit);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log = (log + chunk).slice(-4000);
      // socat -d -d logs "starting data transfer loop" once both ptys and links exist.
      if (started || !log.includes('starting data transfer loop')) return;
      started = true;
      clearTimeout(timer);
      child.off('exit', earlyExit);
      resolve({
        devicePath,
        peerPath,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
