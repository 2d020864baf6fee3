import { describe, expect, it } from 'vitest';
import { compareSemver, parseSemver } from '../../../src/main/updates/semver';
import { decideOffer, installGate, stagingFraction, type GateInput } from '../../../src/main/updates/update-policy';
import type { UpdateInfo } from '../../../src/main/updates/update-feed';

const info = (version: string, stagingPercentage: number | null = null): UpdateInfo => ({
  version,
  files: [{ url: `Suanpan-Setup-${version}.exe`, sha512: 'x'.repeat(86) + '==', size: 1 }],
  releaseDate: null,
  stagingPercentage,
});

describe('semantic versions', () => {
  it.each([
    ['1.2.3', '1.2.4', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0', '2.0.0', 0],
    ['2.0.0-beta.2', '2.0.0', -1],
    ['2.0.0-beta.2', '2.0.0-beta.10', -1],
    ['2.0.0-beta', '2.0.0-beta.1', -1],
    ['2.0.0-1', '2.0.0-alpha', -1],
    ['1.0.0+build.5', '1.0.0', 0],
    ['v1.0.0', '1.0.0', 0],
  ])('%s against %s is %i', (a, b, order) => {
    expect(compareSemver(a, b)).toBe(order);
    expect(compareSemver(b, a)).toBe(-order || 0);
  });

  it('refuses what is not a version', () => {
    for (const text of ['1.2', '01.2.3', '1.2.3-', 'latest', '', '1.2.3.4']) expect(parseSemver(text)).toBeNull();
    expect(() => compareSemver('1.2', '1.2.0')).toThrow(/not a semantic version: 1.2/);
  });
});

describe('which version a register takes', () => {
  const cases: [string, Parameters<typeof decideOffer>[0], ReturnType<typeof decideOffer>][] = [
    [
      'same version: up to date',
      { currentVersion: '1.3.0', info: info('1.3.0'), allowedVersion: null, stagingFraction: 0.5 },
      { kind: 'up-to-date' },
    ],
    [
      'older feed: never a downgrade',
      { currentVersion: '1.3.0', info: info('1.2.9'), allowedVersion: null, stagingFraction: 0.5 },
      { kind: 'up-to-date' },
    ],
    [
      'newer, no rollout limit: taken',
      { currentVersion: '1.3.0', info: info('1.4.0'), allowedVersion: null, stagingFraction: 0.5 },
      { kind: 'offer', version: '1.4.0' },
    ],
    [
      'the store may take only 1.3.5: held',
      { currentVersion: '1.3.0', info: info('1.4.0'), allowedVersion: '1.3.5', stagingFraction: 0.5 },
      { kind: 'held-rollout', version: '1.4.0', allowedVersion: '1.3.5' },
    ],
    [
      'the store may take exactly it',
      { currentVersion: '1.3.0', info: info('1.4.0'), allowedVersion: '1.4.0', stagingFraction: 0.5 },
      { kind: 'offer', version: '1.4.0' },
    ],
    [
      'the store may take a later one',
      { currentVersion: '1.3.0', info: info('1.4.0'), allowedVersion: '2.0.0', stagingFraction: 0.5 },
      { kind: 'offer', version: '1.4.0' },
    ],
    [
      'feed staged at 40 %, register at 50 %: held',
      { currentVersion: '1.3.0', info: info('1.4.0', 40), allowedVersion: null, stagingFraction: 0.5 },
      { kind: 'held-staging', version: '1.4.0', stagingPercentage: 40 },
    ],
    [
      'feed staged at 40 %, register at 39 %: taken',
      { currentVersion: '1.3.0', info: info('1.4.0', 40), allowedVersion: null, stagingFraction: 0.39 },
      { kind: 'offer', version: '1.4.0' },
    ],
    [
      'staged at 0 %: nobody',
      { currentVersion: '1.3.0', info: info('1.4.0', 0), allowedVersion: null, stagingFraction: 0 },
      { kind: 'held-staging', version: '1.4.0', stagingPercentage: 0 },
    ],
  ];
  it.each(cases)('%s', (_, input, expected) => {
    expect(decideOffer(input)).toEqual(expected);
  });

  it('places a register in the staging order as electron-updater does (last 4 bytes of its UUID)', () => {
    expect(stagingFraction('00000000-0000-4000-8000-000000000000')).toBe(0);
    expect(stagingFraction('00000000-0000-4000-8000-0000ffffffff')).toBe(1);
    expect(stagingFraction('00000000-0000-4000-8000-00007fffffff')).toBeCloseTo(0.5, 6);
    expect(() => stagingFraction('not-a-uuid')).toThrow(/UUID/);
  });
});

describe('when a downloaded update installs', () => {
  const quiet: GateInput = {
    cartOpen: false,
    shiftOpen: false,
    queueDepth: 0,
    hour: 14,
    installHour: null,
    autoInstall: true,
    requested: false,
  };
  const cases: [string, Partial<GateInput>, ReturnType<typeof installGate>][] = [
    ['nothing open, queue empty: now', {}, { install: true, because: 'safe-moment' }],
    ['a shift is open: waits', { shiftOpen: true }, { install: false, waitingFor: ['shift-open'] }],
    ['a cart is open (mid-sale): waits', { cartOpen: true }, { install: false, waitingFor: ['cart-open'] }],
    ['sales not yet in the cloud: waits', { queueDepth: 3 }, { install: false, waitingFor: ['queue-not-empty'] }],
    [
      'shift open and queue: waits for both',
      { shiftOpen: true, queueDepth: 1 },
      { install: false, waitingFor: ['shift-open', 'queue-not-empty'] },
    ],
    [
      'the install hour, shift left open, queue waiting: now',
      { shiftOpen: true, queueDepth: 5, hour: 3, installHour: 3 },
      { install: true, because: 'install-hour' },
    ],
    ['the install hour but mid-sale: waits', { cartOpen: true, hour: 3, installHour: 3 }, { install: false, waitingFor: ['cart-open'] }],
    [
      'outside the install hour, shift open: waits',
      { shiftOpen: true, hour: 4, installHour: 3 },
      { install: false, waitingFor: ['shift-open'] },
    ],
    ['auto-install off, nobody asked: waits', { autoInstall: false }, { install: false, waitingFor: ['not-requested'] }],
    ['auto-install off, a manager asked: now', { autoInstall: false, requested: true }, { install: true, because: 'safe-moment' }],
    [
      'a manager asked, mid-sale: still waits',
      { autoInstall: false, requested: true, cartOpen: true },
      { install: false, waitingFor: ['cart-open'] },
    ],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    expect(installGate({ ...quiet, ...change })).toEqual(expected);
  });
});
