/**
 * The built cloud service as a child process, so a test can SIGKILL it mid-push and start it again
 * on the same database (tests/support/cloud-server.ts).
 */
import { join } from 'node:path';
import { startCloudServer, type CloudServer } from '../../support/cloud-server';

export { buildCloud } from '../../support/cloud-server';
export type CloudProcess = CloudServer;

export function startCloudProcess(dir: string, databaseUrl: string, port = 0): Promise<CloudProcess> {
  return startCloudServer(join(dir, 'server.js'), databaseUrl, { port });
}
