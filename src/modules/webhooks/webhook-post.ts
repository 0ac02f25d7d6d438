import http from 'node:http';
import https from 'node:https';
import { checkHost, pinnedLookup, type Target } from '../../lib/public-target.js';

/*
 * One webhook POST over the network, with the SSRF check made again at delivery time (the
 * host's DNS answer may have changed since registration) and the connection pinned to the
 * address that was checked. Redirects are not followed: a 3xx is a failure like any non-2xx.
 */

export interface PostOutcome {
  readonly ok: boolean;
  readonly httpStatus: number | null;
  /** Why it failed (null on success). */
  readonly error: string | null;
  readonly durationMs: number;
}

export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivateAddresses: boolean; timeoutMs: number },
): Promise<PostOutcome> {
  const started = performance.now();
  const done = (httpStatus: number | null, error: string | null): PostOutcome => ({
    ok: error === null,
    httpStatus,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return done(null, 'not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return done(null, 'only http and https URLs are allowed');
  const check = await checkHost(parsed.hostname, { allowPrivateAddresses: options.allowPrivateAddresses });
  if (!check.ok) return done(null, `refused: ${check.reason}`);
  try {
    const status = await send(parsed, check.target, body, headers, options.timeoutMs);
    return done(status, status >= 200 && status <= 299 ? null : `HTTP ${status}`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return done(null, e.code === 'ETIMEDOUT_WEBHOOK' ? `no answer within ${options.timeoutMs / 1000} s` : (e.code ?? e.message ?? String(err)));
  }
}

/** Posts and resolves with the status code as soon as it arrives (the body is discarded). */
function send(url: URL, target: Target, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'POST',
      lookup: pinnedLookup(target),
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      const err = new Error('timeout') as NodeJS.ErrnoException;
      err.code = 'ETIMEDOUT_WEBHOOK';
      req.destroy(err);
    }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      // The answer's body is not read; a receiver that never finishes it does not keep the socket.
      const drain = setTimeout(() => res.destroy(), timeoutMs);
      drain.unref();
      res.on('close', () => clearTimeout(drain));
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
