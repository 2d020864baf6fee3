/**
 * Where the register may read a printer profile from: a built-in name (drivers/escpos/profiles),
 * or a .json file inside the register's data folder (a relative name is looked up in its
 * `printer-profiles/` folder), never its `secrets/`, never through a link that leads outside.
 * The hardware screen is driven from the till's page, so a profile path must not let it read
 * any other file on the PC.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PosError } from '../../shared/errors';

export const PROFILES_FOLDER = 'printer-profiles';
/** The built-in profiles are about 2 KiB. */
const MAX_PROFILE_BYTES = 64 * 1024;

const isInside = (dir: string, file: string) => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/** Whether `nameOrPath` names a file (a path, or anything ending in .json) rather than a built-in profile. */
export const namesProfileFile = (nameOrPath: string) => /[\\/]|\.json$/i.test(nameOrPath);

/** The profile file's real path, checked to be inside the data folder and outside secrets/; PRINTER_PROFILE_INVALID otherwise. */
export function profileFileInDataDir(nameOrPath: string, dataDir: string): string {
  const refuse = () =>
    new PosError(
      'PRINTER_PROFILE_INVALID',
      `A printer profile is a built-in name or a .json file in the register's data folder (e.g. ${join(dataDir, PROFILES_FOLDER, 'my-printer.json')})`,
    );
  if (!/\.json$/i.test(nameOrPath)) throw refuse();
  let root: string;
  let file: string;
  try {
    root = realpathSync(dataDir);
    const given = isAbsolute(nameOrPath) ? nameOrPath : join(dataDir, PROFILES_FOLDER, nameOrPath);
    file = realpathSync(resolve(given));
  } catch {
    throw new PosError('PRINTER_PROFILE_INVALID', `No printer profile file ${nameOrPath} in the register's data folder`);
  }
  if (!isInside(root, file) || relative(root, file).split(sep)[0] === 'secrets') throw refuse();
  const stat = statSync(file);
  if (!stat.isFile() || stat.size > MAX_PROFILE_BYTES)
    throw new PosError(
      'PRINTER_PROFILE_INVALID',
      `${nameOrPath} is not a printer profile file (at most ${MAX_PROFILE_BYTES / 1024} KiB of JSON)`,
    );
  return file;
}
