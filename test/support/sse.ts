/**
 * A Server-Sent Events reader for tests, parsing text/event-stream as browsers do (fields
 * `event`, `data`, `id`, `retry`; comment lines; a blank line dispatches, and a message without
 * data only sets the last event id). Tests wait for conditions, never for time: `next` resolves with
 * the first message (from the start of the stream) it has not handed out yet that matches, and
 * fails after `timeoutMs` only so a broken stream fails the test instead of hanging it.
 */

export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

export class SseStream {
  readonly messages: SseMessage[] = [];
  /** Comment lines seen (heartbeats). */
  comments = 0;
  /** The last id the stream set (sent back as Last-Event-ID by a reconnecting browser). */
  lastEventId: string | undefined;
  retry: number | undefined;
  ended = false;
  private readonly taken = new Set<SseMessage>();
  private waiters: Array<() => void> = [];
  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  /** GETs `url` and starts reading; resolves once the headers are in (check `response.status` before reading). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal, redirect: 'manual' });
    const stream = new SseStream(response, abort);
    if (response.ok && response.body) void stream.read(response.body);
    else {
      stream.ended = true;
      await response.body?.cancel();
    }
    return stream;
  }

  /** Resolves once the stream has set its first id (the server follows the event from then on). */
  following(timeoutMs = 15_000): Promise<void> {
    return this.until(() => this.lastEventId !== undefined, 'the stream set no id', timeoutMs);
  }

  /** The next message not taken yet for which `match` holds (by default, any). */
  async next(match: (m: SseMessage) => boolean = () => true, timeoutMs = 15_000): Promise<SseMessage> {
    let found: SseMessage | undefined;
    await this.until(
      () => {
        found = this.messages.find((m) => !this.taken.has(m) && match(m));
        return found !== undefined;
      },
      'no matching message arrived',
      timeoutMs,
    );
    this.taken.add(found!);
    return found!;
  }

  /** The next `event: <name>` message, its data parsed as JSON. */
  async nextEvent<T = unknown>(name: string, timeoutMs?: number): Promise<{ data: T; id: string | undefined }> {
    const m = await this.next((x) => x.event === name, timeoutMs);
    return { data: JSON.parse(m.data) as T, id: m.id };
  }

  /** Resolves when `condition` holds (checked after each chunk read), or rejects with `what` after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`${what} within ${timeoutMs} ms; messages: ${JSON.stringify(this.messages)}, ended: ${this.ended}`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  /** Resolves when the server has ended the stream. */
  closedByServer(timeoutMs?: number): Promise<void> {
    return this.until(() => this.ended, 'the server did not end the stream', timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data: string[] = [];
    let id: string | undefined;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if (id !== undefined) this.lastEventId = id;
            if (data.length > 0) this.messages.push({ event: event || 'message', data: data.join('\n'), id: this.lastEventId });
            event = '';
            data = [];
            id = undefined;
            continue;
          }
          if (line.startsWith(':')) {
            this.comments++;
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
          else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
        }
        this.wake();
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
