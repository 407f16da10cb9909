/**
 * Baseline for bench/rpc.ts: the least a ws + json-rpc-2.0 server can do to answer
 * identityStore.get from SQLite. No auth, no validation, no logging, same frame settings.
 * usage: node dist/bench/bare-server.js DB_PATH SOCKET_PATH ROWS_JSON [CERT_PEM KEY_PEM]
 * Prints one line `{"port":N,"tlsPort":M}` once the listeners are up (tlsPort with a certificate).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { JSONRPCErrorException, JSONRPCServer } from 'json-rpc-2.0';
import { WebSocketServer, type WebSocket } from 'ws';
import { MIGRATIONS } from '../daemon/migrations.js';
import { MAX_FRAME_BYTES, type IdentityStore } from '../protocol/index.js';

const [dbPath, socketPath, rowsPath, certPath, keyPath] = process.argv.slice(2);
if (!dbPath || !socketPath || !rowsPath) {
  process.stderr.write('usage: bare-server DB_PATH SOCKET_PATH ROWS_JSON\n');
  process.exit(2);
}

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
// herald's own schema, so the query plan (the unique name_key index) is the one herald gets.
for (const migration of MIGRATIONS) db.exec(migration);
const insert = db.prepare('INSERT INTO identity_store (id, name, name_key, type, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
const rows = JSON.parse(readFileSync(rowsPath, 'utf8')) as IdentityStore[];
db.transaction(() => {
  for (const r of rows) insert.run(r.id, r.name, r.name.toLowerCase(), r.type, r.description, r.createdAt, r.updatedAt);
})();

interface Row { id: number; name: string; type: string; description: string | null; created_at: string; updated_at: string }
// The same unique index herald looks names up by (a case-folded key).
const byName = db.prepare('SELECT * FROM identity_store WHERE name_key = ?');

const rpc = new JSONRPCServer();
rpc.addMethod('identityStore.get', (params: { name: string }) => {
  const row = byName.get(params.name.toLowerCase()) as Row | undefined;
  if (!row) throw new JSONRPCErrorException(`identity store '${params.name}' not found`, -32004);
  // Same result shape as herald, so both answers are the same bytes on the wire.
  return [{ id: row.id, name: row.name, type: row.type, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at }];
});

function serve(server: Server): void {
  const wss = new WebSocketServer({ server, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      rpc.receiveJSON(String(data)).then((reply) => {
        if (reply !== null && ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
    ws.on('error', () => undefined);
  });
}

const tcp = createServer();
const unix = createServer();
// Node's TLS defaults, as herald's wss:// listener has them.
const tls = certPath && keyPath ? createTlsServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }) : undefined;
serve(tcp);
serve(unix);
if (tls) serve(tls);
await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
if (tls) await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
process.stdout.write(JSON.stringify({ port: (tcp.address() as AddressInfo).port, tlsPort: tls ? (tls.address() as AddressInfo).port : undefined }) + '\n');

process.once('SIGTERM', () => {
  // Exit without waiting for open sockets: the parent has finished with them.
  tcp.close();
  unix.close();
  tls?.close();
  db.close();
  process.exit(0);
});
