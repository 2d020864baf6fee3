/**
 * The sync worker's entry (bundled to dist/sync/sync-worker.js by scripts/build-main.mjs). It runs
 * on a worker_threads thread with its OWN connection to register.db (WAL, same pragmas as the
 * core), so pushing and pulling never block a sale. The main thread talks to it by messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open';
import { createSyncEngine } from './sync-engine';
import type { ToWorker, WorkerData } from './worker-protocol';

const WATCH_MS = 250;
const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('sync-worker.js must run as a worker thread');

const db = openDatabase(data.dbFile, { checkIntegrity: false });
const engine = createSyncEngine({
  db,
  token: data.token,
  appVersion: data.appVersion,
  ...data.options,
  onActivity: (activity) => port.postMessage({ type: activity }),
  onWarning: (message, fields) => port.postMessage({ type: 'warning', message, fields }),
});

// Wakes on any new outbox row, whoever committed it (a sale, a shift event, a stock count):
// data_version moves when another connection commits; then look whether the outbox grew.
const latestSeq = db.prepare<[], number | null>('SELECT max(seq) FROM outbox').pluck();
let dataVersion = db.pragma('data_version', { simple: true });
let seenSeq = latestSeq.get() ?? 0;
const watcher = setInterval(() => {
  const version = db.pragma('data_version', { simple: true });
  if (version === dataVersion) return;
  dataVersion = version;
  const seq = latestSeq.get() ?? 0;
  if (seq > seenSeq) {
    seenSeq = seq;
    engine.wake(false);
  }
}, WATCH_MS);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'wake':
      engine.wake(false);
      break;
    case 'now':
      engine.wake(true);
      break;
    case 'stop':
      clearInterval(watcher);
      engine.stop();
      break;
  }
});

void engine.run().then(() => {
  db.close();
  port.postMessage({ type: 'stopped' });
  // Ends this thread only; idle keep-alive sockets must not hold it open.
  process.exit(0);
});
