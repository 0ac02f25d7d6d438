import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../lib/domain-error.js';

/*
 * Server-Sent Events plumbing (text/event-stream): the open streams of this process, their
 * heartbeat, and their end at shutdown. A stream answers outside Fastify's reply pipeline
 * (reply.hijack), so nothing buffers, caches or compresses it: the response cache is only ever
 * asked explicitly (src/http/response-cache.ts), and no compression plugin is installed.
 *
 * - Heartbeat: one timer for all streams writes a comment line every `heartbeatMs` (25 s), so
 *   proxies and load balancers with an idle timeout (often 30 or 60 s) keep the connection.
 * - `X-Accel-Buffering: no` asks nginx not to buffer; `Cache-Control: no-store` keeps it out of
 *   every cache; `Connection: close` ends the TCP connection with the stream (nothing to reuse it
 *   for, and a server shutting down never waits for it as an idle keep-alive connection).
 * - Each stream starts with `retry:` (2–5 s, spread so that thousands of browsers do not come back
 *   at the same instant after a restart).
 * - A client that stops reading is dropped once 64 KiB wait for it, so a stalled reader never
 *   holds memory; nothing in here waits for a client.
 * - `closeAll()` (buildApp's preClose hook) ends every stream before the server stops listening,
 *   so shutdown never waits for them; browsers reconnect to another process, or to this one
 *   once it is back.
 */

export interface EventStreamSettings {
  /** Comment line every this many ms (default 25,000). */
  readonly heartbeatMs?: number;
  /** Streams one process holds at most; more are refused with LIVE_UNAVAILABLE (503). Default 10,000. */
  readonly maxStreams?: number;
}

const MAX_BUFFERED_BYTES = 64 * 1024;

export class EventStreams {
  private readonly streams = new Set<EventStream>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly heartbeatMs: number;
  private readonly maxStreams: number;

  constructor(settings: EventStreamSettings = {}) {
    this.heartbeatMs = settings.heartbeatMs ?? 25_000;
    this.maxStreams = settings.maxStreams ?? 10_000;
  }

  /** Streams open now. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Answers the request with an event stream (200, the reply's headers so far, e.g. the security
   * headers, plus the stream's own) and takes the reply over from Fastify.
   * @throws LIVE_UNAVAILABLE (503) when the process holds maxStreams already or is shutting down.
   */
  open(request: FastifyRequest, reply: FastifyReply): EventStream {
    if (this.closing || this.streams.size >= this.maxStreams) throw liveUnavailable();
    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    Object.assign(headers, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'close',
    });
    res.writeHead(200, headers);
    const stream = new EventStream(res, () => this.forget(stream));
    this.streams.add(stream);
    // Where browsers reconnect after the stream ends (2–5 s, spread out).
    stream.write(`retry: ${2000 + Math.floor(Math.random() * 3000)}\n\n`);
    request.raw.socket?.setKeepAlive?.(true, 60_000);
    if (!this.heartbeat) this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs).unref();
    return stream;
  }

  /** Ends every stream and refuses new ones (shutdown). */
  closeAll(): void {
    this.closing = true;
    for (const stream of [...this.streams]) stream.close();
    this.stopBeating();
  }

  private beat(): void {
    for (const stream of this.streams) stream.write(':\n\n');
  }

  private forget(stream: EventStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) this.stopBeating();
  }

  private stopBeating(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

/** One open text/event-stream response. */
export class EventStream {
  private ended = false;
  private readonly onCloseHandlers: Array<() => void> = [];

  constructor(
    private readonly res: ServerResponse,
    forget: () => void,
  ) {
    res.once('close', () => {
      this.ended = true;
      forget();
      for (const handler of this.onCloseHandlers.splice(0)) handler();
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  /** One message: its event name, its data as JSON, and the id a reconnection sends back as Last-Event-ID. */
  send(event: string, data: unknown, id?: string): void {
    this.write(`${id === undefined ? '' : `id: ${oneLine(id)}\n`}event: ${oneLine(event)}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Sets the id a reconnection sends back as Last-Event-ID, without a message (no data: nothing is dispatched). */
  setId(id: string): void {
    this.write(`id: ${oneLine(id)}\n\n`);
  }

  /** Runs `handler` once the stream has ended, whoever ended it (at once if it has). */
  onClose(handler: () => void): void {
    if (this.ended) handler();
    else this.onCloseHandlers.push(handler);
  }

  /** Ends the stream (the browser reconnects after its retry delay). */
  close(): void {
    if (this.ended) return;
    this.res.end();
  }

  /** @internal Writes raw event-stream text; drops a client that has stopped reading. */
  write(text: string): void {
    if (this.ended || this.res.writableEnded) return;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.res.destroy();
      return;
    }
    this.res.write(text);
  }
}

/** The Last-Event-ID a reconnecting browser sent (undefined when none). */
export function lastEventId(request: FastifyRequest): string | undefined {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** JSON never contains a raw line break; ids and event names are ours, but a line break would end the field. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\0]/g, '');
}

function liveUnavailable(): DomainError {
  return new DomainError(
    'LIVE_UNAVAILABLE',
    'Live updates are not available on this server right now; the page works without them (reload it to see changes).',
    503,
  );
}
