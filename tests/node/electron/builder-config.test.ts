import { readFileSync } from 'node:fs';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };

/** The file as electron-builder itself reads it (YAML, `extends`, package.json "build" merged in). */
const load = () => getConfig(root, 'electron-builder.yml', null);
/** electron-builder's own schema check, which runs before every build; it throws on an unknown key. */
const validate = (config: Configuration) => validateConfiguration(config, new DebugLogger(false));

describe('electron-builder.yml', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await load();
  });

  it('matches electron-builder’s schema', async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('the schema check does catch a misspelt key', async () => {
    const broken = await load();
    Object.assign(broken.nsis ?? {}, { deleteAppDataOnUninstal: false });
    await expect(validate(broken)).rejects.toThrow(/Invalid configuration object/);
  });

  it('never deletes the register’s data on uninstall', () => {
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
  });

  it('is an assisted per-machine installer that lets IT choose the folder', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true });
  });

  it('packages the built app, not our sources, and starts the Electron main bundle', () => {
    expect(config.extraMetadata).toMatchObject({ main: pkg.main });
    expect(pkg.main).toBe('dist/electron/main.js');
    const files = JSON.stringify(config.files);
    for (const included of ['dist/**', 'migrations/**', 'assets/**', 'package.json']) expect(files).toContain(`"${included}"`);
    expect(files).toContain('!{src,tests,bench,cloud,scripts}/**');
  });

  it('writes installers where our own build output cannot be overwritten', () => {
    expect(config.directories?.output).toBe('release');
  });

  it('keeps the SQLite native module loadable: rebuilt for Electron and outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/*.node']));
  });

  it('ships a binary that cannot be run as Node or pointed at other code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('writes the generic update feed (latest.yml) and uploads nothing', () => {
    expect(config.publish).toMatchObject({ provider: 'generic' });
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toContain('--publish never');
  });

  it('builds the fleet targets: NSIS for Windows (silent /S), deb and AppImage for Linux', () => {
    const targets = (list: unknown) => JSON.stringify(list);
    expect(targets(config.win?.target)).toContain('"nsis"');
    expect(targets(config.linux?.target)).toContain('"deb"');
    expect(targets(config.linux?.target)).toContain('"AppImage"');
  });
});
