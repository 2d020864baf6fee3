import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DriverError } from '../driver-error';
import epsonTmT88 from './profiles/epson-tm-t88.json';
import epsonTmT20 from './profiles/epson-tm-t20.json';
import xprinterXp58 from './profiles/xprinter-xp58.json';
import genericNoChinese from './profiles/generic-no-chinese.json';

/** Font A is 12 dots wide on every profile we support; a Chinese character is two cells (24 dots). */
export const FONT_A_DOTS = 12;

const DrawerSchema = z.strictObject({
  /** Drawer kick connector pin: 2 (ESC p m = 0) or 5 (m = 1). Most single drawers use pin 2. */
  pin: z.union([z.literal(2), z.literal(5)]),
  /** Pulse on/off time. ESC p sends them in 2 ms units (1..255), so 2..510 ms. */
  onMs: z.number().int().min(2).max(510),
  offMs: z.number().int().min(2).max(510),
  /** The model supports DLE DC4 1 (real-time pulse), which works with paper out or cover open. */
  realtime: z.boolean(),
  /**
   * How the drawer's switch reads on connector pin 3 (DLE EOT 1, bit 2). Drawers differ, so IT
   * confirms it on the hardware screen; 'none' when no sensor is wired.
   */
  sensor: z.enum(['open-when-high', 'open-when-low', 'none']),
});

const ProfileSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case (a-z, 0-9, -)'),
    description: z.string().min(1),
    paper: z.strictObject({
      widthMm: z.union([z.literal(58), z.literal(80)]),
      /** Font A characters per line. */
      columns: z.number().int().min(16).max(64),
      /** Printable width in dots: raster lines, barcodes and QR codes are laid out on it. */
      dots: z.number().int().min(128).max(1024),
    }),
    codeSystem: z.enum(['big5hkscs', 'gb18030', 'none']),
    chineseMode: z.enum(['fs-ampersand', 'none']),
    drawer: DrawerSchema,
    barcode: z.enum(['native', 'raster']),
    qr: z.enum(['native', 'raster']),
    status: z.enum(['dle-eot', 'none']),
    cut: z.enum(['full', 'partial']),
    /** Lines fed before the cut so the last printed line clears the cutter. */
    cutFeedLines: z.number().int().min(0).max(10),
  })
  .superRefine((p, ctx) => {
    if (p.paper.columns * FONT_A_DOTS > p.paper.dots) {
      ctx.addIssue({
        code: 'custom',
        path: ['paper', 'columns'],
        message: `${p.paper.columns} columns of ${FONT_A_DOTS} dots do not fit in ${p.paper.dots} dots`,
      });
    }
    if (p.codeSystem === 'none' && p.chineseMode !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['chineseMode'], message: "must be 'none' when codeSystem is 'none' (no Chinese font)" });
    }
  });

export type PrinterProfile = z.infer<typeof ProfileSchema>;

export class ProfileError extends DriverError {
  readonly code = 'PRINTER_PROFILE_INVALID';

  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`printer profile ${source}: ${field}: ${detail}`);
  }
}

export class UnknownProfileError extends DriverError {
  readonly code = 'PRINTER_PROFILE_UNKNOWN';

  constructor(readonly profileName: string) {
    super(`unknown printer profile "${profileName}"; built-in profiles: ${builtInProfileNames.join(', ')}`);
  }
}

/** Validates a parsed JSON value as a profile. `source` (usually the file path) is named in errors. */
export function parseProfile(value: unknown, source: string): PrinterProfile {
  const result = ProfileSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  // A profile file may be any file someone pointed at: name the schema's own keys, never the file's.
  if (issue.code === 'unrecognized_keys')
    throw new ProfileError(source, path.length > 0 ? path.join('.') : '(root)', `${issue.keys.length} key(s) a profile does not have`);
  throw new ProfileError(source, path.length > 0 ? path.join('.') : '(root)', issue.message);
}

/** Reads and validates a profile JSON file (for models we do not ship). */
export async function loadProfileFile(path: string): Promise<PrinterProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ProfileError(path, '(file)', `cannot read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error: never repeat a file's contents.
    throw new ProfileError(path, '(json)', 'not a JSON file');
  }
  return parseProfile(json, path);
}

// Built-in profiles are imported (not read from disk) so they survive bundling; each is validated
// on first use and a broken one fails its test, not a cashier's checkout.
const builtIn: Record<string, unknown> = {
  'epson-tm-t88': epsonTmT88,
  'epson-tm-t20': epsonTmT20,
  'xprinter-xp58': xprinterXp58,
  'generic-no-chinese': genericNoChinese,
};

export const builtInProfileNames: readonly string[] = Object.keys(builtIn);

export function getProfile(name: string): PrinterProfile {
  const json = builtIn[name];
  if (json === undefined) throw new UnknownProfileError(name);
  return parseProfile(json, `drivers/escpos/profiles/${name}.json`);
}

/** A built-in profile name, or a path to a JSON file (anything with a '/' or '\' or ending in .json). */
export async function resolveProfile(nameOrPath: string): Promise<PrinterProfile> {
  return /[\\/]|\.json$/i.test(nameOrPath) ? loadProfileFile(nameOrPath) : getProfile(nameOrPath);
}
