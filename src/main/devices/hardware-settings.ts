/**
 * Device configuration in the `setting` table under `hardware.*`: the receipt printer (URI and
 * profile: a built-in name or a JSON file path) and the drawer rule. Values are validated when
 * written (the handlers parse the URI and load the profile first) and read through schemas.
 */
import { z } from 'zod';
import type { Db } from '../db/open';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { drawerRules, type DrawerRule } from './drawer-rule';

export const DEFAULT_PROFILE = 'epson-tm-t88';

const PrinterSetting = z.object({ uri: z.string().min(1), profile: z.string().min(1) });
export type PrinterSetting = z.infer<typeof PrinterSetting>;
const PrinterSettingOrNone = PrinterSetting.nullable();

const DrawerSetting = z.object({ rule: z.enum(drawerRules) });

export function readPrinterSetting(db: Db): PrinterSetting | null {
  return readSetting(db, 'hardware.printer', PrinterSettingOrNone, null);
}

export function writePrinterSetting(db: Db, value: PrinterSetting | null): void {
  writeSetting(db, 'hardware.printer', value);
}

export function readDrawerRule(db: Db): DrawerRule {
  return readSetting(db, 'hardware.drawer', DrawerSetting, { rule: 'cash' }).rule;
}

export function writeDrawerRule(db: Db, rule: DrawerRule): void {
  writeSetting(db, 'hardware.drawer', { rule });
}
