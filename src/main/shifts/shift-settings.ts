/** Shift settings: blind counting (the default) and the over/short a cashier may close without a manager. */
import { z } from 'zod';
import type { Db } from '../db/open';
import { readSetting } from '../settings/settings-repo';

export interface ShiftSettings {
  blindCount: boolean;
  toleranceCents: number;
}

const BlindCount = z.boolean();
const ToleranceCents = z.number().int().min(0).max(100_000_00);

export function shiftSettings(db: Db): ShiftSettings {
  return {
    blindCount: readSetting(db, 'shift.blindCount', BlindCount, true),
    toleranceCents: readSetting(db, 'shift.overShortToleranceCents', ToleranceCents, 2000),
  };
}
