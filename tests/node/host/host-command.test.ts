/**
 * `npm run serve` starts the host with the same Node flags the tests and benches use
 * (tests/support/host-command.mjs), so the figures in bench/results.json are the shipped host's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_NODE_FLAGS, hostArgs } from '../../support/host-command.mjs';

describe('how the kiosk host is started', () => {
  it('package.json serve runs node with HOST_NODE_FLAGS before dist/host/start.js', () => {
    const scripts = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.serve).toContain(`node ${HOST_NODE_FLAGS.join(' ')} dist/host/start.js`);
  });

  it('hostArgs puts the flags before the script and the host arguments after it', () => {
    expect(hostArgs('/r', ['--port', '0'])).toEqual([...HOST_NODE_FLAGS, join('/r', 'dist', 'host', 'start.js'), '--port', '0']);
  });
});
