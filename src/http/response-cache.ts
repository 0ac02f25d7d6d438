import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Rendered responses keyed by URL and tagged with the event version they were made from, plus
 * ETag/304 handling. The ETag names the version, so a client's copy stays valid exactly as long
 * as the programme is unchanged; a process restart changes the ETag prefix (templates may have
 * changed with an upgrade), which costs one extra 200 and is never wrong.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Renders under way, by URL: requests for the same URL and version arriving meanwhile (every
   * open page fetching the schedule again after a release, see assets/live.js) wait for that one
   * render instead of each making its own.
   */
  private readonly rendering = new Map<string, { readonly tag: string; readonly body: Promise<Buffer> }>();
  private readonly epoch = Date.now().toString(36);

  /** `onLookup` is told how each request was answered (the metrics' hit rate). */
  constructor(
    private readonly maxEntries: number,
    private readonly onLookup?: (result: CacheLookup) => void,
  ) {}

  /**
   * Answers `request` with the body `render` makes for `version`, from the cache when it was made
   * for the same version, or 304 when the client already has it.
   */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { scope: string; version: number; contentType: string; lastModified?: string },
    render: () => Promise<string | Buffer> | string | Buffer,
  ): Promise<FastifyReply> {
    const key = request.url;
    const tag = `W/"${this.epoch}-${opts.scope}-${opts.version}-${createHash('sha1').update(key).digest('base64url').slice(0, 10)}"`;
    reply.header('ETag', tag);
    reply.header('Cache-Control', 'public, no-cache');
    reply.header('Vary', 'Accept-Encoding');
    if (opts.lastModified) reply.header('Last-Modified', new Date(opts.lastModified).toUTCString());
    reply.type(opts.contentType);
    if (ifNoneMatch(request.headers['if-none-match'], tag)) {
      this.onLookup?.('not_modified');
      return reply.code(304).send();
    }
    const hit = this.entries.get(key);
    if (hit && hit.tag === tag) {
      this.onLookup?.('hit');
      reply.header('X-Cache', 'hit');
      const encoding = hit.encoded && preferredEncoding(request.headers['accept-encoding']);
      if (encoding) {
        reply.header('Content-Encoding', encoding);
        return reply.send(hit.encoded![encoding]);
      }
      return reply.send(hit.body);
    }
    const under = this.rendering.get(key);
    if (under && under.tag === tag) {
      this.onLookup?.('shared');
      const shared = await under.body;
      reply.header('X-Cache', 'miss');
      return reply.send(shared);
    }
    this.onLookup?.('miss');
    const rendering = { tag, body: Promise.resolve().then(render).then(asBytes) };
    this.rendering.set(key, rendering);
    let body: Buffer;
    try {
      body = await rendering.body;
    } finally {
      if (this.rendering.get(key) === rendering) this.rendering.delete(key);
    }
    if (this.maxEntries > 0) {
      this.entries.delete(key);
      const entry: Entry = { tag, body };
      this.entries.set(key, entry);
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      // Compressed once, off the event loop (zlib's thread pool), for the hits that follow: the
      // 350 KiB schedule day becomes 24 KiB of brotli, 32 KiB of gzip, at no per-request cost.
      if (body.length >= COMPRESS_MIN_BYTES) {
        void compressBoth(body).then(
          (encoded) => (entry.encoded = encoded),
          () => undefined,
        );
      }
    }
    reply.header('X-Cache', 'miss');
    return reply.send(body);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * How the cache answered: `hit` (a stored body), `not_modified` (304: the client's copy is
 * current), `shared` (waited for the same render another request started), `miss` (rendered).
 */
export type CacheLookup = 'hit' | 'not_modified' | 'shared' | 'miss';

/**
 * Kept as bytes: every hit then writes the same buffer instead of encoding a large string again
 * (which cost most of a hit's time and memory under load).
 */
function asBytes(rendered: string | Buffer): Buffer {
  return typeof rendered === 'string' ? Buffer.from(rendered) : rendered;
}

interface Entry {
  readonly tag: string;
  readonly body: Buffer;
  encoded?: Readonly<Record<Encoding, Buffer>>;
}

type Encoding = 'br' | 'gzip';

const COMPRESS_MIN_BYTES = 1024;
const ENCODINGS: Encoding[] = ['br', 'gzip'];

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Brotli at quality 5: ~25% smaller than gzip on our HTML and JSON in about the time gzip takes
 * (the highest qualities gain 15% more for 100× the CPU, paid again at every programme change).
 */
async function compressBoth(body: Buffer): Promise<Record<Encoding, Buffer>> {
  const [br, gz] = await Promise.all([
    brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gzipAsync(body),
  ]);
  return { br, gzip: gz };
}

/** The encoding to answer with (brotli before gzip at equal q; q=0 refuses), or null for none. */
export function preferredEncoding(header: string | undefined): Encoding | null {
  return header ? (negotiate(header, ENCODINGS) as Encoding | null) : null;
}

function ifNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || weak(t) === weak(tag));
}
