/**
 * What the register's command-line tools (`npm run backup`, `restore`, `diagnostics`) share: options
 * parsed strictly by node:util, and one way to end: exit 0 or the tool's own code, 2 with the usage
 * text for a usage mistake, 1 with `error CODE: message` for a failure (the typed error's code).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage mistake: the tool prints its usage and exits 2. */
export class UsageError extends Error {}

/** node:util's parseArgs; an option it refuses is a UsageError. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs a tool's `main` on the command line's arguments and sets the process's exit code from how it ended. */
export function runCli(main: (argv: string[]) => Promise<number>, usage: string): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`error: ${error.message}\n${usage}`);
        process.exitCode = 2;
        return;
      }
      const code = (error as { code?: unknown }).code;
      console.error(`error ${typeof code === 'string' ? code : 'FAILED'}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
