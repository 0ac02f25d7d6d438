// The load generator's ceiling for bench/run.ts: a bare node:http server that answers /case/N
// with response N exactly as Hallway sent it (status, headers, bytes), from memory, doing
// nothing else. Hallway's figures next to these show what the server costs on top of what
// autocannon and the loopback can carry on this machine.
//   node bench/ceiling-server.mjs <port> <manifest.json>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, manifest] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(manifest, 'utf8')).map((c) => ({ ...c, body: readFileSync(c.bodyFile) }));
createServer((req, res) => {
  const c = cases[Number(req.url.split('/')[2])];
  if (!c) return res.writeHead(404).end();
  res.writeHead(c.status, c.headers);
  res.end(c.status === 304 ? undefined : c.body);
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
