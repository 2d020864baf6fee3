/**
 * The preset file IT puts on a counter PC before the first start (issue 17, "installation for a
 * fleet"): the cloud address and a one-time enrolment code, the store, the printer, the update feed
 * and kiosk autostart, so twenty PCs come up ready without anyone clicking through them.
 *
 * Read at start from `--preset <file>`, `SUANPAN_PRESET`, or the machine-wide path of the OS
 * (presetPath); applied when it is new or has changed since it was last applied in full (its
 * SHA-256 is kept in the setting `preset.applied`). A file that does not parse stops the start and
 * names the file and the field, never its contents: it may hold the enrolment code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TimeZone } from '../../shared/store-time';
import { UpdateSettingsInput } from '../../shared/update-schemas';

const CloudUrl = z
  .string()
  .max(500)
  .refine(
    (url) => /^https:\/\/[^\s@]+$/i.test(url) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\S*)?$/i.test(url),
    'an https:// address',
  );

export const PresetConfig = z.strictObject({
  /** The cloud API and the one-time code head office issued (`npm run cloud:admin -- enrol-code <store>`). */
  cloud: z
    .strictObject({
      url: CloudUrl,
      enrolCode: z.string().min(4).max(64).optional(),
    })
    .optional(),
  /** The store as the register shows it before enrolment (enrolment takes the cloud's). */
  store: z
    .strictObject({
      code: z.string().regex(/^[A-Z0-9]{1,16}$/, 'capital letters and digits, up to 16'),
      nameZh: z.string().min(1).max(100).optional(),
      nameEn: z.string().min(1).max(100).optional(),
    })
    .optional(),
  timeZone: TimeZone.optional(),
  printer: z.strictObject({ uri: z.string().min(1).max(300), profile: z.string().min(1).max(200).optional() }).optional(),
  display: z.string().min(1).max(300).optional(),
  scanner: z.string().min(1).max(300).optional(),
  /** The desktop app starts with Windows / the desktop session, full screen in kiosk mode. */
  kiosk: z.strictObject({ autostart: z.boolean(), customerScreen: z.boolean().optional() }).optional(),
  updates: UpdateSettingsInput.partial().optional(),
});
export type PresetConfig = z.infer<typeof PresetConfig>;

export interface LoadedPreset {
  file: string;
  sha256: string;
  preset: PresetConfig;
}

/** Where IT puts the preset on each OS, readable by every user of the PC. */
export function presetPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUANPAN_PRESET) return env.SUANPAN_PRESET;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Suanpan', 'preset.json');
  if (platform === 'darwin') return '/Library/Application Support/Suanpan/preset.json';
  return '/etc/suanpan/preset.json';
}

export class PresetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresetError';
  }
}

/** The preset at `file`, or null when there is none; a file that is there but wrong throws PresetError. */
export function loadPreset(file: string, options: { required?: boolean } = {}): LoadedPreset | null {
  if (!existsSync(file)) {
    if (options.required) throw new PresetError(`The preset file ${file} does not exist`);
    return null;
  }
  const bytes = readFileSync(file);
  if (bytes.length > 64 * 1024) throw new PresetError(`The preset file ${file} is larger than 64 KB`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new PresetError(`The preset file ${file} is not valid JSON`);
  }
  const parsed = PresetConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PresetError(`The preset file ${file} is not valid: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), preset: parsed.data };
}

/** What a preset touched, for the log: names of settings, never values. */
export function presetSummary(preset: PresetConfig): string[] {
  return Object.entries(preset)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
