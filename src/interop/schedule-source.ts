import { open } from 'node:fs/promises';
import { DomainError } from '../lib/domain-error.js';
import { HALLWAY_VERSION } from './frab-common.js';
import { formatBytes, InteropErrors } from './interop.errors.js';

export interface SourceLimits {
  /** Largest input read (config.maxImportBytes); more is refused without reading the rest. */
  readonly maxBytes: number;
  /** Whole download, headers to last byte. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface ScheduleSource {
  readonly bytes: Uint8Array;
  /** The final URL after redirects, for resolving the file's relative links; undefined for files. */
  readonly url?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Reads a schedule from a file path, `-` (standard input) or an http(s) URL, never more than
 * `maxBytes`: a file is checked by size first, a download is streamed and aborted as soon as it
 * passes the limit (whatever Content-Length claimed; gzip is counted after decompression).
 *
 * @throws SCHEDULE_TOO_LARGE, SCHEDULE_FILE_UNREADABLE, SCHEDULE_FETCH_FAILED, SCHEDULE_FETCH_TIMEOUT
 */
export async function readScheduleSource(source: string, limits: SourceLimits): Promise<ScheduleSource> {
  if (/^https?:\/\//i.test(source)) return download(source, limits);
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) throw InteropErrors.fetchFailed(source, 'only http and https URLs can be imported');
  if (source === '-') return { bytes: await readLimited(process.stdin, limits.maxBytes, 'Standard input') };
  const file = await open(source, 'r').catch((err: NodeJS.ErrnoException) => {
    throw InteropErrors.fileUnreadable(source, err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message));
  });
  try {
    const { size } = await file.stat();
    if (size > limits.maxBytes) throw InteropErrors.tooLarge(limits.maxBytes, `${source} (${formatBytes(size)})`);
    return { bytes: await file.readFile() };
  } finally {
    await file.close();
  }
}

async function download(url: string, limits: SourceLimits): Promise<ScheduleSource> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
  try {
    const res = await fetch(url, {
      signal: controller.signal,
      redirect: 'follow',
      headers: { accept: 'application/xml, text/xml, application/json;q=0.9, */*;q=0.1', 'user-agent': `Hallway/${HALLWAY_VERSION} (schedule import)` },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw InteropErrors.fetchFailed(url, `the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > limits.maxBytes) {
      controller.abort();
      throw InteropErrors.tooLarge(limits.maxBytes, `The download (${formatBytes(declared)} announced)`);
    }
    const bytes = res.body ? await readLimited(res.body, limits.maxBytes, 'The download', () => controller.abort()) : new Uint8Array();
    return { bytes, url: res.url || url };
  } catch (err) {
    if (controller.signal.aborted && controller.signal.reason instanceof TimeoutSignal) throw InteropErrors.fetchTimeout(url, timeoutMs);
    if (err instanceof DomainError) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw InteropErrors.fetchFailed(url, cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutSignal extends Error {}

/** Reads a byte stream to its end, or stops (and calls `stop`) as soon as it passes `max`. */
async function readLimited(stream: AsyncIterable<Uint8Array>, max: number, what: string, stop?: () => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > max) {
      stop?.();
      throw InteropErrors.tooLarge(max, `${what} (more than ${formatBytes(max)} so far)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
