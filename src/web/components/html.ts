import Html from '@kitajs/html';

/**
 * Small helpers for the hand-built HTML strings of the hot paths (the schedule grid and list),
 * where JSX would cost more than it is worth. Everything that comes from data goes through `esc`.
 */

/** Escapes text for element content and double-quoted attribute values (& < " '). */
export const esc: (text: string) => string = Html.escapeHtml;

/**
 * Data text for a JSX attribute. @kitajs/html escapes only `"` in attribute values; this also
 * turns `<`, `&` and `'` into references, so no `<script`-looking text appears anywhere in the
 * markup, even inside a quoted value. (kitajs leaves `&` alone, so nothing is escaped twice.)
 */
export const attrText: (text: string) => string = Html.escapeHtml;

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s<>"]+$/i;

/**
 * The URL when it is an absolute http(s) or mailto URL, else undefined. Import validates URLs
 * already; this is the second line, so data written by any other path can never put a
 * `javascript:` or `data:` URL into an href or src.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  return url && SAFE_URL.test(url) ? url : undefined;
}

/** Joins class names, skipping empty ones. */
export function cx(...names: Array<string | false | null | undefined>): string {
  let out = '';
  for (const n of names) if (n) out = out === '' ? n : `${out} ${n}`;
  return out;
}

/** "1 session", "3 sessions". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Path helpers so every page links the same way. Slugs and codes are URL-safe by validation; still encoded. */
export const paths = {
  event: (slug: string) => `/events/${encodeURIComponent(slug)}`,
  schedule: (slug: string, q: { day?: string; view?: 'grid' | 'list'; track?: string } = {}) => {
    const params: string[] = [];
    if (q.day) params.push(`day=${encodeURIComponent(q.day)}`);
    if (q.view === 'list') params.push('view=list');
    if (q.track) params.push(`track=${encodeURIComponent(q.track)}`);
    return `/events/${encodeURIComponent(slug)}/schedule${params.length ? `?${params.join('&')}` : ''}`;
  },
  session: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}`,
  speakers: (slug: string) => `/events/${encodeURIComponent(slug)}/speakers`,
  interestPoll: (slug: string, token?: string) => `/events/${encodeURIComponent(slug)}/interest${token ? `/${encodeURIComponent(token)}` : ''}`,
  speaker: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/speakers/${encodeURIComponent(code)}`,
  theme: (slug: string, version: number) => `/events/${encodeURIComponent(slug)}/theme.css?v=${version}`,
  live: (slug: string) => `/events/${encodeURIComponent(slug)}/live`,
};
