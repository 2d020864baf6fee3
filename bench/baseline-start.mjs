// The plainest process that answers with the store from register.db: the register-start baseline.
import Database from 'better-sqlite3';
import { createServer } from 'node:http';

const db = new Database(process.argv[2], { readonly: true });
const store = db.prepare('SELECT name_zh FROM store').pluck().get();
const server = createServer((_req, res) => res.end(JSON.stringify({ store })));
server.listen(0, '127.0.0.1', () => console.log(`baseline ready: http://127.0.0.1:${server.address().port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
