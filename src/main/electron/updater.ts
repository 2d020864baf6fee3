/**
 * The desktop app's side of updates (issue 17), kept thin: which installer this build runs, how it
 * starts it, and kiosk autostart from the preset. When, whether and what to install is decided in
 * plain Node (src/main/updates), which has verified the file's SHA-512 against the feed first.
 *
 * - NSIS (Windows, per-machine): the installer runs silently (`/S`, as electron-updater's NsisUpdater
 *   does, with `--updated --force-run` so it starts the new version); through electron-builder's
 *   `elevate.exe` when the app is installed for all users, since writing to Program Files needs it.
 * - AppImage: the new file replaces the one running ($APPIMAGE), then the app relaunches.
 * - deb: `pkexec dpkg -i`, then the app relaunches.
 * A start that fails rejects: the register stays on its version and the back office says why. The
 * update service bounds the wait (the signal kills pkexec) and relaunches only when no sale is open.
 */
import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { app } from 'electron';
import type { Logger } from '../log';
import type { InstallerKind } from '../updates/update-feed';
import type { Installer } from '../updates/update-service';
import { HEAP_CAP_SWITCH } from './heap-cap';

/** What this build can install: only a packaged app updates itself. */
export function installerKind(): InstallerKind | null {
  if (!app.isPackaged) return null;
  if (process.platform === 'win32') return 'nsis';
  if (process.platform === 'linux') return process.env.APPIMAGE ? 'appimage' : 'deb';
  return null;
}

function started(command: string, args: string[], options: { wait: boolean; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      detached: !options.wait,
      stdio: 'ignore',
      windowsHide: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    child.once('error', reject);
    if (options.wait) {
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
    } else {
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    }
  });
}

export function createInstaller(kind: InstallerKind, log: Logger): Installer {
  return async (file, version, signal) => {
    log.info('starting the update installer', { kind, version });
    if (kind === 'nsis') {
      const elevate = join(process.resourcesPath, 'elevate.exe');
      const args = ['/S', '--updated', '--force-run'];
      if (existsSync(elevate)) await started(elevate, [file, ...args], { wait: false });
      else await started(file, args, { wait: false });
      // The installer closes the app and starts the new version itself.
      app.quit();
      return;
    }
    if (kind === 'appimage') {
      const target = process.env.APPIMAGE;
      if (!target) throw new Error('not started from an AppImage');
      const staged = join(dirname(target), `.${version}.AppImage.partial`);
      await copyFile(file, staged);
      await chmod(staged, 0o755);
      await rename(staged, target);
    } else {
      await started('pkexec', ['dpkg', '-i', file], { wait: true, signal });
    }
    return {
      relaunch() {
        app.relaunch();
        app.quit();
      },
    };
  };
}

/** Kiosk autostart from the preset: a login item on Windows and macOS, an XDG autostart entry on Linux. */
export async function applyKioskAutostart(autostart: boolean, log: Logger): Promise<void> {
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    const folder = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart');
    const entry = join(folder, 'suanpan.desktop');
    if (!autostart) return;
    await mkdir(folder, { recursive: true });
    const exec = process.env.APPIMAGE ?? process.execPath;
    await writeFile(
      entry,
      `[Desktop Entry]\nType=Application\nName=Suanpan\nExec="${exec}" --kiosk ${HEAP_CAP_SWITCH}\nX-GNOME-Autostart-enabled=true\n`,
    );
  } else {
    app.setLoginItemSettings({ openAtLogin: autostart, args: ['--kiosk', HEAP_CAP_SWITCH] });
  }
  log.info('kiosk autostart set from the preset file', { autostart });
}
