/**
 * Electron's way to run the register's child work (src/main/process/node-child.ts): the packaged
 * app cannot start its own binary as Node (the runAsNode fuse is off), so the script runs in an
 * Electron utility process, which reads its input from the parent port (child-io.ts).
 */
import { utilityProcess } from 'electron';
import type { ChildLauncher } from '../process/node-child';

export const utilityLauncher: ChildLauncher = (file, args) => {
  const child = utilityProcess.fork(file, args, { stdio: 'pipe', serviceName: 'Suanpan worker' });
  let spawned = false;
  let pending: string | null = null;
  child.once('spawn', () => {
    spawned = true;
    if (pending !== null) child.postMessage(pending);
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    send: (input) => {
      if (spawned) child.postMessage(input);
      else pending = input;
    },
    kill: () => void child.kill(),
    // A utility process reports its exit code only; one killed or crashed reports a non-zero code.
    onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
    onError: (listener) => void child.once('error', (type, location) => listener(new Error(`${type} at ${location}`))),
  };
};
