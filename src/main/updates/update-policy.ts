/**
 * What the register does about an update, as pure functions of what it knows (unit-tested as
 * tables in tests/node/updates/update-policy.test.ts):
 *
 * - whether the feed's version is one to take: newer than this one, allowed by head office's
 *   staged rollout for this store, and inside the feed's own `stagingPercentage` (electron-updater's
 *   rule, so a feed built for electron-updater behaves the same here);
 * - whether now is a moment to install: never with a cart open (mid-sale); otherwise when no shift
 *   is open and every sale has reached the cloud, or inside the install hour IT set.
 */
import { compareSemver } from './semver';
import type { UpdateInfo } from './update-feed';

export type OfferDecision =
  | { kind: 'up-to-date' }
  | { kind: 'offer'; version: string }
  /** Head office's rollout for this store stops below the feed's version. */
  | { kind: 'held-rollout'; version: string; allowedVersion: string }
  /** The feed's stagingPercentage does not reach this register yet. */
  | { kind: 'held-staging'; version: string; stagingPercentage: number };

export interface OfferInput {
  currentVersion: string;
  info: UpdateInfo;
  /** The newest version the cloud lets this register's store take; null: no limit (or no cloud). */
  allowedVersion: string | null;
  /** This register's place in the staging order, from 0 (first) to 1 (last): stagingFraction(). */
  stagingFraction: number;
}

export function decideOffer(input: OfferInput): OfferDecision {
  const { info } = input;
  if (compareSemver(info.version, input.currentVersion) <= 0) return { kind: 'up-to-date' };
  if (input.allowedVersion !== null && compareSemver(info.version, input.allowedVersion) > 0)
    return { kind: 'held-rollout', version: info.version, allowedVersion: input.allowedVersion };
  if (info.stagingPercentage !== null && !(input.stagingFraction < info.stagingPercentage / 100))
    return { kind: 'held-staging', version: info.version, stagingPercentage: info.stagingPercentage };
  return { kind: 'offer', version: info.version };
}

/**
 * electron-updater's staging position: the last four bytes of the installation's UUID
 * (`.updaterId` in the data folder) as a fraction of 0xffffffff.
 */
export function stagingFraction(updaterId: string): number {
  const hex = updaterId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error('the updater id is not a UUID');
  return Buffer.from(hex, 'hex').readUInt32BE(12) / 0xffffffff;
}

export type InstallWait = 'cart-open' | 'shift-open' | 'queue-not-empty' | 'not-requested';

export interface GateInput {
  /** A cart with lines, or a payment under way: the one thing that always waits. */
  cartOpen: boolean;
  shiftOpen: boolean;
  /** Documents and events not yet acknowledged by the cloud. */
  queueDepth: number;
  /** The hour of the day in the store's time zone, 0–23. */
  hour: number;
  /** The install hour IT set (installs from h:00 to h:59 even with a shift left open or a queue); null: none. */
  installHour: number | null;
  /** Installs without anyone asking; off: a manager presses "install at next safe moment". */
  autoInstall: boolean;
  /** A manager pressed "install at next safe moment". */
  requested: boolean;
}

export type GateDecision = { install: true; because: 'safe-moment' | 'install-hour' } | { install: false; waitingFor: InstallWait[] };

export function installGate(input: GateInput): GateDecision {
  if (!input.autoInstall && !input.requested) return { install: false, waitingFor: ['not-requested'] };
  if (input.cartOpen) return { install: false, waitingFor: ['cart-open'] };
  // Inside the install hour a shift left open and unsynced sales wait in SQLite for the new version.
  if (input.installHour !== null && input.hour === input.installHour) return { install: true, because: 'install-hour' };
  const waitingFor: InstallWait[] = [];
  if (input.shiftOpen) waitingFor.push('shift-open');
  if (input.queueDepth > 0) waitingFor.push('queue-not-empty');
  return waitingFor.length === 0 ? { install: true, because: 'safe-moment' } : { install: false, waitingFor };
}
