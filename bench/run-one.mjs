// Runs one benchmark in this process and prints its results as the last stdout line (JSON), so
// `run.mjs` can give every benchmark a fresh process: one benchmark's heap (a 200,000-product
// catalogue, a million change rows) must not put garbage-collection pauses into the next one's tail.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [moduleFile, exportName] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bench = (await import(join(root, 'bench', moduleFile)))[exportName];
if (typeof bench !== 'function') throw new Error(`bench/${moduleFile} exports no ${exportName}`);
const results = await bench({ root });
process.stdout.write(`\n${JSON.stringify(results)}\n`);
