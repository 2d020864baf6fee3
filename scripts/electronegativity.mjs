#!/usr/bin/env node
/**
 * Scans the built Electron main and preload bundles with Electronegativity and fails on any HIGH
 * finding, or if the scanner did not run or wrote no readable report.
 *
 * It scans dist/, not src/: the scanner's TypeScript parser is too old for our syntax, and the
 * bundle is what ships. The scan is offline: the scanner's DNS lookups are refused (see
 * SCANNER_HOOK), and the release-feed check, which only works online, is excluded.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** What we scan, and the name the scanner sees: it only reads .js/.ts/.html, never .cjs. */
const BUNDLES = [
  { built: 'dist/electron/main.js', scanAs: 'electron/main.js' },
  { built: 'dist/preload/electron-preload.cjs', scanAs: 'preload/electron-preload.js' },
];
const SOURCE_DIRS = ['src/main', 'src/preload', 'src/shared'];

/**
 * AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub; offline it can
 * only fail. Electron updates are tracked by upgrading the dependency, not by this lint.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/**
 * Findings reviewed and judged false positives, with the reason. They are still printed; a HIGH
 * finding fails the scan whether or not it is listed here.
 */
const REVIEWED = {
  CSP_GLOBAL_CHECK:
    'the CSP is a response header on every app:// response (src/main/electron/app-request-handler.ts); the scanner looks only in HTML <meta> tags and webRequest.onHeadersReceived',
  AUXCLICK_JS_CHECK:
    "disableBlinkFeatures: 'Auxclick' is set by mainWindowOptions (security.ts, unit-tested); the scanner reads only literals at `new BrowserWindow`",
};

/**
 * Loaded into the scanner's process before it starts:
 * - The scanner asks the network for translations, with retries that cost seconds. Refusing its DNS
 *   lookups with an error code `got` does not retry keeps the scan fast, offline and repeatable.
 * - The scanner writes its CSV header (truncating the file) and then its rows (appending) with two
 *   asynchronous writeFile calls that race: on a busy machine the rows could be appended first and
 *   then cut by the header's truncate, or overwritten from byte 0 by the header. Its writeFile is
 *   made synchronous here, so the two writes land in the order they were made.
 */
const SCANNER_HOOK = `import dns from 'node:dns';
import fs from 'node:fs';
dns.lookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  process.nextTick(done, Object.assign(new Error('electronegativity scan is offline: ' + hostname), { code: 'ERR_SCAN_OFFLINE' }));
};
fs.writeFile = (file, data, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  let error = null;
  try {
    fs.writeFileSync(file, data, typeof options === 'function' ? undefined : options);
  } catch (caught) {
    error = caught;
  }
  process.nextTick(done, error);
};
`;

const CSV_HEADER = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];
const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

class ScanFailure extends Error {}

function fail(message) {
  throw new ScanFailure(message);
}

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Scanning a stale bundle would pass code that no longer exists, so rebuild when in doubt. */
function buildIfNeeded() {
  const built = BUNDLES.map((bundle) => join(root, bundle.built));
  const sources = Math.max(...SOURCE_DIRS.map((dir) => newestSourceMtime(join(root, dir))));
  const fresh = built.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources);
  if (fresh) return;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-main.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('the build failed (node scripts/build-main.mjs)');
}

/** RFC 4180 fields: quoted with "" escapes, or bare (the scanner writes N/A and URLs bare). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (quoted) fail('the report ends inside a quoted field (cut short)');
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/**
 * The scanner writes its CSV header and its rows with two unsynchronised writes, so a report is
 * accepted only if the header is intact and every row is whole.
 */
function readFindings(reportFile) {
  if (!existsSync(reportFile)) fail('the scanner wrote no report');
  const [header, ...rows] = parseCsv(readFileSync(reportFile, 'utf8'));
  if (!header || header.map((name) => name.trim()).join() !== CSV_HEADER.join()) fail('the report has no valid header');
  return rows.map((fields, index) => {
    const [id, severity, confidence, file, location, , description, url] = fields;
    if (fields.length !== CSV_HEADER.length || !SEVERITIES.includes(severity) || !url.endsWith(`/${id}`)) {
      fail(`report row ${index + 2} is malformed: ${fields.join(',')}`);
    }
    return { id, severity, confidence, file, location, description };
  });
}

function printTable(findings) {
  const rows = findings.map((f) => [f.severity, f.confidence, f.id, f.file === 'N/A' ? '(global)' : `${f.file}:${f.location}`]);
  const head = ['severity', 'confidence', 'check', 'where'];
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  for (const [index, row] of rows.entries()) {
    console.log(line(row));
    const note = REVIEWED[findings[index].id];
    console.log(`    ${note ? `reviewed, false positive: ${note}` : findings[index].description}`);
  }
}

function scan() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const scannerManifest = require.resolve('@doyensec/electronegativity/package.json');
  const scanner = JSON.parse(readFileSync(scannerManifest, 'utf8'));
  const scannerCli = join(dirname(scannerManifest), scanner.bin.electronegativity);

  const work = mkdtempSync(join(tmpdir(), 'suanpan-electronegativity-'));
  try {
    const input = join(work, 'scan');
    for (const bundle of BUNDLES) {
      const target = join(input, bundle.scanAs);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(root, bundle.built), target);
    }
    const hook = join(work, 'scanner-hook.mjs');
    writeFileSync(hook, SCANNER_HOOK);
    const report = join(work, 'report.csv');

    const args = [
      '--import',
      pathToFileURL(hook).href,
      scannerCli,
      '-i',
      input,
      '-o',
      report,
      '-r',
      '-e',
      electronVersion,
      '-x',
      EXCLUDED_CHECKS.join(','),
    ];
    const result = spawnSync(process.execPath, args, { cwd: work, encoding: 'utf8', timeout: 120_000 });
    if (result.error || result.status !== 0) {
      process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
      fail(`the scanner did not run cleanly (${result.error?.message ?? `exit ${result.status}`})`);
    }
    const findings = readFindings(report);
    findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));

    const scanned = BUNDLES.map((bundle) => bundle.built).join(', ');
    console.log(`Electronegativity ${scanner.version}, Electron ${electronVersion}: ${scanned}`);
    if (findings.length === 0) console.log('no findings');
    else printTable(findings);

    const high = findings.filter((f) => f.severity === 'HIGH').length;
    const counts = SEVERITIES.map((severity) => `${findings.filter((f) => f.severity === severity).length} ${severity.toLowerCase()}`);
    console.log(`${findings.length} findings: ${counts.join(', ')}`);
    if (high > 0) fail(`${high} HIGH finding(s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  buildIfNeeded();
  scan();
} catch (error) {
  if (!(error instanceof ScanFailure)) throw error;
  console.error(`electronegativity: ${error.message}`);
  process.exitCode = 1;
}
