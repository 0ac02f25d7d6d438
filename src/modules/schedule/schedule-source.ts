import { open } from 'node:fs/promises';
import { formatBytes, ImportErrors } from './import.errors.js';
import { downloadUrl } from './safe-download.js';

export interface SourceLimits {
  /** Largest input read (config.maxImportBytes); more is refused without reading the rest. */
  readonly maxBytes: number;
  /** Whole download, headers to last byte. Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Download from loopback and private addresses too. Default true: the CLI is run by the
   * operator, who may import from their own network; the API uses IMPORT_ALLOW_PRIVATE_URLS.
   */
  readonly allowPrivateAddresses?: boolean;
}

export interface ScheduleSource {
  readonly bytes: Uint8Array;
  /** The final URL after redirects, for resolving the file's relative links; undefined for files. */
  readonly url?: string;
}

/**
 * Reads a schedule from a file path, `-` (standard input) or an http(s) URL, never more than
 * `maxBytes`: a file is checked by size first, a download is streamed and aborted as soon as it
 * passes the limit (whatever Content-Length claimed; gzip is counted after decompression);
 * downloads go through downloadUrl (safe-download.ts): redirects capped and re-checked.
 *
 * @throws SCHEDULE_TOO_LARGE, SCHEDULE_FILE_UNREADABLE, SCHEDULE_FETCH_FAILED, SCHEDULE_FETCH_TIMEOUT
 */
export async function readScheduleSource(source: string, limits: SourceLimits): Promise<ScheduleSource> {
  if (/^https?:\/\//i.test(source)) {
    return downloadUrl(source, { maxBytes: limits.maxBytes, timeoutMs: limits.timeoutMs, allowPrivateAddresses: limits.allowPrivateAddresses ?? true });
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) throw ImportErrors.fetchFailed(source, 'only http and https URLs can be imported');
  if (source === '-') return { bytes: await readLimited(process.stdin, limits.maxBytes, 'Standard input') };
  const file = await open(source, 'r').catch((err: NodeJS.ErrnoException) => {
    throw ImportErrors.fileUnreadable(source, err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message));
  });
  try {
    const { size } = await file.stat();
    if (size > limits.maxBytes) throw ImportErrors.tooLarge(limits.maxBytes, `${source} (${formatBytes(size)})`);
    return { bytes: await file.readFile() };
  } finally {
    await file.close();
  }
}

/** Reads a byte stream to its end, or stops (and calls `stop`) as soon as it passes `max`. */
async function readLimited(stream: AsyncIterable<Uint8Array>, max: number, what: string, stop?: () => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > max) {
      stop?.();
      throw ImportErrors.tooLarge(max, `${what} (more than ${formatBytes(max)} so far)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
