/**
 * The desktop app's main process runs the register core, so its V8 young generation gets the cap
 * the kiosk host runs with (`node --max-semi-space-size=4`, tests/support/host-command.mjs says
 * why 4). Electron applies `--js-flags` to its main process only from the command line it was
 * started with, so the launchers pass it (the Linux desktop entry via electron-builder.yml's
 * `linux.executableArgs`, kiosk autostart, the login item) and a start without it relaunches once
 * with it. Pure: tested without Electron (tests/node/electron/heap-cap.test.ts).
 */

export const SEMI_SPACE_FLAG = '--max-semi-space-size=4';
export const HEAP_CAP_SWITCH = `--js-flags=${SEMI_SPACE_FLAG}`;
/** Set in the environment of the relaunch, so a start that still lacks the cap never loops. */
export const HEAP_CAP_RELAUNCH_MARK = 'SUANPAN_HEAP_CAP_RELAUNCHED';

const JS_FLAGS = '--js-flags=';

function hasCap(args: readonly string[]): boolean {
  return args.some(
    (arg) =>
      arg.startsWith(JS_FLAGS) &&
      arg
        .slice(JS_FLAGS.length)
        .split(/\s+/)
        .some((flag) => flag.startsWith('--max-semi-space-size')),
  );
}

/** `args` (the command line after the executable) with the cap added to its `--js-flags`, or to a new one. */
export function withHeapCap(args: readonly string[]): string[] {
  if (hasCap(args)) return [...args];
  const at = args.findIndex((arg) => arg.startsWith(JS_FLAGS));
  if (at === -1) return [...args, HEAP_CAP_SWITCH];
  const merged = `${args[at]} ${SEMI_SPACE_FLAG}`.replace(`${JS_FLAGS} `, JS_FLAGS);
  return args.map((arg, index) => (index === at ? merged : arg));
}

export type HeapCapDecision =
  | { kind: 'capped' }
  /** Start again with these arguments (after the executable), the relaunch mark set. */
  | { kind: 'relaunch'; args: string[] }
  /** Relaunched once already and still without the cap: run uncapped and say so in the log. */
  | { kind: 'uncapped' };

export function heapCapDecision(args: readonly string[], env: Readonly<Record<string, string | undefined>>): HeapCapDecision {
  if (hasCap(args)) return { kind: 'capped' };
  if (env[HEAP_CAP_RELAUNCH_MARK] === '1') return { kind: 'uncapped' };
  return { kind: 'relaunch', args: withHeapCap(args) };
}
