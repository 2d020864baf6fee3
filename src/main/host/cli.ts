/**
 * `npm run serve -- [--data-dir <dir>] [--port <n>] [--demo] [--printer <uri>] [--display <uri>] [--scanner <uri>] [--time-zone <zone>] [--preset <file>]`: the register in a browser.
 * Prints one line with the URL to open; SIGINT/SIGTERM close it cleanly (WAL checkpointed), while it starts too.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { appPaths } from '../app-paths';
import { createConsoleLogger, type Logger } from '../log';
import { createRotatingLogger } from '../log-file';
import { createRegister } from '../register';
import { loadPreset, presetPath } from '../settings/preset-config';
import { defaultDataDir, demoDataDir } from './default-data-dir';
import { startKioskHost } from './kiosk-host';

const USAGE = `Usage: npm run serve -- [--data-dir <dir>] [--port <n>] [--demo] [--printer <uri> [--printer-profile <name|file>]] [--display <uri>] [--scanner <uri>] [--time-zone <zone>] [--preset <file>]
  --data-dir  where the register's database lives (default: ${defaultDataDir()}; with --demo: ${demoDataDir(defaultDataDir())})
  --port      loopback port to serve on (default 4780; 0 picks a free one)
  --demo      seed the demo store on first run; with no printer set up, print to a TCP printer emulator
  --allow-demo-data  start without --demo on a folder that holds the demo store (refused otherwise)
  --printer   the receipt printer, e.g. tcp://10.0.0.20:9100 (remembered in settings); --printer-profile: default epson-tm-t88
  --display   the customer pole display, e.g. serial:///dev/ttyUSB1?baud=9600 (remembered in settings)
  --scanner   an HID POS scanner, e.g. hid://05e0:1200 (remembered in settings)
  --time-zone the store's time zone for every shown and printed time (default Asia/Hong_Kong; remembered in settings)
  --preset    a fleet preset file (cloud and enrolment code, store, printer, update feed), applied when new or changed
              (default: $SUANPAN_PRESET, else ${presetPath()} when it exists)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '4780' },
      demo: { type: 'boolean', default: false },
      'allow-demo-data': { type: 'boolean', default: false },
      printer: { type: 'string' },
      'printer-profile': { type: 'string' },
      display: { type: 'string' },
      scanner: { type: 'string' },
      'time-zone': { type: 'string' },
      preset: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not ${values.port}`);

  const dataDir = resolve(values['data-dir'] ?? (values.demo ? demoDataDir(defaultDataDir()) : defaultDataDir()));
  // Rotated, redacted JSON lines in <data>/logs for IT, and the console as before.
  const log = createRotatingLogger({ dir: join(dataDir, 'logs'), also: createConsoleLogger() });
  const customerDevices = {
    ...(values.display !== undefined ? { displayUri: values.display } : {}),
    ...(values.scanner !== undefined ? { scannerUri: values.scanner } : {}),
  };
  const hardware = {
    demoPrinter: values.demo,
    ...(values.printer !== undefined ? { printer: values.printer } : {}),
    ...(values['printer-profile'] !== undefined ? { printerProfile: values['printer-profile'] } : {}),
  };
  const stopSignals = handleStopSignals(log);
  const preset = loadPreset(resolve(values.preset ?? presetPath()), { required: values.preset !== undefined });
  const register = await createRegister({
    dataDir,
    preset,
    demo: values.demo,
    allowDemoData: values['allow-demo-data'],
    log,
    customerDevices,
    hardware,
    ...(values['time-zone'] !== undefined ? { timeZone: values['time-zone'] } : {}),
  });
  if (stopSignals.requested()) {
    register.close();
    console.log('Suanpan register stopped cleanly before it was ready.');
    process.exit(0);
  }
  let host;
  try {
    host = await startKioskHost({ register, rendererDir: appPaths().rendererDir, port, log });
  } catch (error) {
    register.close();
    throw error;
  }
  const running = host;
  stopSignals.whenRunning(() =>
    running.close().then(() => {
      register.close();
      console.log('Suanpan register stopped cleanly.');
      process.exit(0);
    }),
  );
  if (stopSignals.requested()) return;

  console.log(`Suanpan register ready: ${host.url}  (data: ${dataDir})`);
}

/** How long a stop asked for while the register is still starting may wait for the start to end. */
const STOP_DURING_START_BOUND_MS = 20_000;

/**
 * SIGINT/SIGTERM, from before the register starts: a signal's default action would end the process
 * at once, skipping its exit hook, and leave the database check's process running on its own. A stop
 * asked for while starting waits for the start (at most STOP_DURING_START_BOUND_MS, then exit 1),
 * then closes the register as a stop while running does.
 */
function handleStopSignals(log: Logger): { requested(): boolean; whenRunning(stop: () => Promise<void>): void } {
  let requested = false;
  let stopRunning: (() => Promise<void>) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) return;
    requested = true;
    log.info('stopping', { signal, running: stopRunning !== null });
    if (stopRunning) {
      void stopRunning();
      return;
    }
    setTimeout(() => {
      console.error(`Suanpan register did not finish starting within ${STOP_DURING_START_BOUND_MS / 1000} s of ${signal}; exiting.`);
      process.exit(1);
    }, STOP_DURING_START_BOUND_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requested,
    whenRunning(stop) {
      stopRunning = stop;
      if (requested) void stop();
    },
  };
}

main().catch((error: unknown) => {
  console.error(`Suanpan could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) console.error(USAGE);
  process.exit(1);
});
