// The ceiling of bench/live.ts: a bare node:http server that holds Server-Sent Events streams as
// Hallway's do (the same headers, a retry line, an id line) and, for each POST /fire?n=N, writes
// one release message of the same size to every stream at once. Nothing else: no database, no
// hub, no framework. Hallway's figures beside these show what it adds to what the machine, Node
// and the loopback cost anyway.
//   node --expose-gc --import ./bench/memory-probe.mjs bench/ceiling-sse.mjs <port>
import { createServer } from 'node:http';

const streams = new Set();
createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/fire')) {
    const n = Number(new URL(req.url, 'http://x').searchParams.get('n'));
    const message = `id: ${n}\nevent: release\ndata: ${JSON.stringify({ number: n, name: String(n), changes: 3 })}\n\n`;
    for (const s of streams) s.write(message);
    return res.writeHead(204).end();
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'close' });
  res.write('retry: 3000\n\nid: 0\n\n');
  streams.add(res);
  res.on('close', () => streams.delete(res));
}).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
