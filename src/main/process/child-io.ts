/**
 * The child's side of node-child.ts: its one input (from stdin under Node, from the parent port in
 * an Electron utility process) and its one answer (JSON on stdout, flushed before it exits).
 */
interface ParentPort {
  once(event: 'message', listener: (message: { data: unknown }) => void): void;
}

export async function readChildInput(): Promise<string> {
  const port = (process as { parentPort?: ParentPort }).parentPort;
  if (port) return new Promise((resolve) => port.once('message', (message) => resolve(String(message.data))));
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/** Writes the answer and exits once it is flushed (a pipe on Windows is asynchronous). */
export function answerAndExit(answer: unknown): void {
  process.stdout.write(JSON.stringify(answer), () => process.exit(0));
}
