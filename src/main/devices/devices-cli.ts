/**
 * `npm run devices -- <command>`: the hardware checks for remote support, without the register.
 * Each command is one row in `commands`; a failure prints `error CODE: message` on stderr and
 * exits 1 (2 for a usage mistake), so a support script can tell what broke.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { listHidDevices, listSerialPorts } from '../../../drivers';
import { PosError } from '../../shared/errors';
import { systemClock } from '../clock';
import { DEFAULT_PROFILE } from './hardware-settings';
import { showOnDisplayOnce } from './display-check';
import {
  canonicalUri,
  createEncoder,
  loadPrinterProfile,
  openDrawerOnce,
  printTestPage,
  readStatus,
  statusReport,
  type PrinterTarget,
} from './printer-checks';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface DeviceCommand {
  /** Arguments after the command name, as shown in the usage text. */
  args: string;
  summary: string;
  /** How many positional arguments it needs. */
  positionals: number;
  options?: ParseArgsConfig['options'];
  run(positionals: string[], values: Values): Promise<void>;
}

const profileOption = { profile: { type: 'string' as const } };

async function printerTarget(uri: string, values: Values): Promise<PrinterTarget> {
  const profile = typeof values.profile === 'string' ? values.profile : DEFAULT_PROFILE;
  return { uri: canonicalUri(uri), profile: await loadPrinterProfile(profile, 'any-file') };
}

const commands: Record<string, DeviceCommand> = {
  list: {
    args: '',
    summary: 'serial ports and HID devices, as device URIs',
    positionals: 0,
    async run() {
      const sections: [string, () => Promise<{ uri: string; manufacturer?: string; product?: string }[]>][] = [
        ['Serial ports', listSerialPorts],
        ['HID devices', listHidDevices],
      ];
      let failures = 0;
      for (const [title, list] of sections) {
        console.log(`${title}:`);
        try {
          const found = await list();
          if (found.length === 0) console.log('  (none)');
          for (const d of found)
            console.log(
              `  ${d.uri}${[d.manufacturer, d.product].filter(Boolean).length > 0 ? `  ${[d.manufacturer, d.product].filter(Boolean).join(' ')}` : ''}`,
            );
        } catch (error) {
          failures++;
          console.log(`  cannot list: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures === sections.length) throw new PosError('DEVICE_FAILED', 'could not list serial ports or HID devices');
    },
  },
  'print-test': {
    args: '<uri> [--profile <name|file.json>]',
    summary: 'print the bilingual test page (中文, 嘢 峯, HK$, barcode, QR)',
    positionals: 1,
    options: profileOption,
    async run([uri], values) {
      const printed = await printTestPage(await printerTarget(uri!, values), createEncoder(), systemClock.now());
      console.log(`printed the test page on ${printed.uri}${printed.confirmed ? ' (the printer confirmed it)' : ''}`);
    },
  },
  drawer: {
    args: '<uri> [--profile <name|file.json>]',
    summary: 'open the cash drawer behind the printer (DLE DC4 where the profile allows, else ESC p)',
    positionals: 1,
    options: profileOption,
    async run([uri], values) {
      const opened = await openDrawerOnce(await printerTarget(uri!, values));
      console.log(`sent the drawer kick to ${opened.uri}`);
    },
  },
  display: {
    args: '<uri> <line1> <line2> [--profile epson|cd5220|logic-controls]',
    summary: 'write two lines to a 2x20 pole display (ASCII; default profile epson)',
    positionals: 3,
    options: profileOption,
    async run([uri, line1, line2], values) {
      const shown = await showOnDisplayOnce({
        uri: uri!,
        line1: line1!,
        line2: line2!,
        profile: typeof values.profile === 'string' ? values.profile : 'epson',
      });
      console.log(`${shown.uri} shows:\n  [${shown.lines[0]}]\n  [${shown.lines[1]}]`);
    },
  },
  status: {
    args: '<uri> [--profile <name|file.json>]',
    summary: 'read the printer status (DLE EOT 1..4)',
    positionals: 1,
    options: profileOption,
    async run([uri], values) {
      const target = await printerTarget(uri!, values);
      const s = statusReport(target.uri, await readStatus(target));
      if (!s.supported) {
        console.log(`${target.uri}: profile ${target.profile.name} has no status support`);
        return;
      }
      const flags = [
        s.online ? 'online' : 'offline',
        s.coverOpen && 'cover open',
        s.paperOut ? 'paper out' : s.paperNearEnd && 'paper near end',
        s.error && 'error',
        s.drawerOpen === null ? null : s.drawerOpen ? 'drawer open' : 'drawer closed',
      ];
      console.log(
        `${target.uri}: ${flags.filter(Boolean).join(', ')}  [${s.raw.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}]`,
      );
    },
  },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  npm run devices -- ${`${name} ${c.args}`.trim().padEnd(52)} ${c.summary}`);
  return [
    'Usage:',
    ...rows,
    '',
    'Device URIs: tcp://host:9100, serial:///dev/ttyUSB0?baud=9600, usb://04b8:0202, spooler://NAME, file:///path',
  ].join('\n');
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== command.positionals) throw new UsageError(`${name} takes ${command.args || 'no arguments'}`);
  await command.run(parsed.positionals, parsed.values);
}

main(process.argv.slice(2)).then(
  // Serial and HID handles can keep the event loop alive after a command is done.
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n${usage()}`);
      process.exit(2);
    }
    if (error instanceof PosError) console.error(`error ${error.code}: ${error.message}`);
    else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
