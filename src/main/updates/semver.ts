/**
 * Semantic versions (semver.org 2.0.0) as electron-builder writes them in latest.yml and as
 * package.json carries them: MAJOR.MINOR.PATCH, an optional pre-release, optional build metadata
 * (ignored when comparing, as the spec says).
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
}

const PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The parsed version, or null when the text is not a semantic version. */
export function parseSemver(text: string): SemVer | null {
  if (text.length > 64) return null;
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const numbers = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  return {
    major: numbers[0],
    minor: numbers[1],
    patch: numbers[2],
    prerelease: match[4] === undefined ? [] : match[4].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  };
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== null;
}

function compareParts(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 by semver precedence. Throws on a text that is not a version (callers validate first). */
export function compareSemver(left: string, right: string): number {
  const a = parseSemver(left);
  const b = parseSemver(right);
  if (!a || !b) throw new Error(`not a semantic version: ${a ? right : left}`);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return Math.sign(a[key] - b[key]);
  }
  // A pre-release sorts before its release: 1.2.0-beta.1 < 1.2.0.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareParts(x, y);
    if (order !== 0) return order;
  }
  return 0;
}
