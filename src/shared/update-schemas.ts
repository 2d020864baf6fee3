/**
 * Updates (issue 17) as the back office sees them: the version running, the one the feed offers,
 * where the update is (state), when the feed was last read, and the settings IT chooses.
 */
import * as z from './zod';

export const UpdatePhase = z.enum([
  /** No feed set, or not checked yet. */
  'idle',
  'checking',
  'up-to-date',
  /** A newer version exists but head office's rollout (or the feed's staging) does not reach this register yet. */
  'held',
  'downloading',
  /** Downloaded and verified: installs at the next safe moment. */
  'ready',
  'installing',
  /** The check, the download or the install failed: this version keeps running; see lastError. */
  'failed',
]);
export type UpdatePhase = z.infer<typeof UpdatePhase>;

export const InstallWait = z.enum(['cart-open', 'shift-open', 'queue-not-empty', 'not-requested']);

export const UpdateSettingsInput = z.strictObject({
  /** The generic feed's folder (where latest.yml lives): https only; null switches updates off. */
  feedUrl: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine(
      (url) => /^https:\/\/[^\s/@]+(\/\S*)?$/i.test(url) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\S*)?$/i.test(url),
      'an https:// address',
    )
    .nullable(),
  checkEveryMinutes: z.number().int().min(15).max(1440),
  /** Install at the first safe moment without anyone asking; off: a manager presses "install at next safe moment". */
  autoInstall: z.boolean(),
  /** An hour of the day (store time) when the update installs even with a shift left open or sales still to sync; never mid-sale. */
  installHour: z.number().int().min(0).max(23).nullable(),
});
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsInput>;

export const UpdateStatus = z.object({
  phase: UpdatePhase,
  currentVersion: z.string(),
  availableVersion: z.string().nullable(),
  /** The newest version head office lets this store take (null: no limit, or never told). */
  allowedVersion: z.string().nullable(),
  heldBy: z.enum(['rollout', 'staging']).nullable(),
  lastCheckAt: z.number().int().nullable(),
  downloadedBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0).nullable(),
  /** What the install waits for while ready. */
  waitingFor: z.array(InstallWait),
  installRequested: z.boolean(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The installer this build can run (null: the kiosk host, which IT updates with the package manager). */
  installer: z.enum(['nsis', 'appimage', 'deb']).nullable(),
  settings: UpdateSettingsInput,
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;
