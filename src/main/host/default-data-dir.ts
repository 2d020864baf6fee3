import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The same folder Electron's app.getPath('userData') gives for productName "Suanpan", so the
 * desktop app and the kiosk host on one machine are the same register (the data-dir lock keeps
 * them from running at once).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Suanpan');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Suanpan');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Suanpan');
}

/**
 * Where `--demo` keeps its store when no `--data-dir` is given: beside the real register's folder,
 * never in it, so a later real install does not inherit demo staff with PIN 1234.
 */
export function demoDataDir(realDataDir: string): string {
  return `${realDataDir}-demo`;
}
