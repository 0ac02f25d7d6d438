/** Social profiles a speaker can list, in display order, with how each is turned into a link. */
export const HANDLE_KINDS = ['website', 'mastodon', 'bluesky', 'github', 'gitlab', 'linkedin', 'x'] as const;
export type HandleKind = (typeof HANDLE_KINDS)[number];
export type SpeakerHandles = Partial<Record<HandleKind, string>>;

export const HANDLE_LABELS: Record<HandleKind, string> = {
  website: 'Website',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  github: 'GitHub',
  gitlab: 'GitLab',
  linkedin: 'LinkedIn',
  x: 'X',
};

/** Validation patterns: a handle is the account name people type, not a URL (except website). */
export const HANDLE_PATTERNS: Record<HandleKind, RegExp> = {
  website: /^https?:\/\/\S+$/,
  mastodon: /^@?[A-Za-z0-9_]{1,30}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/,
  bluesky: /^@?[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/,
  github: /^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/,
  gitlab: /^@?[A-Za-z0-9_.-]{2,255}$/,
  linkedin: /^[A-Za-z0-9-]{3,100}$/,
  x: /^@?[A-Za-z0-9_]{1,15}$/,
};

/** The profile URL for a handle. Only https URLs built from validated handles leave here. */
export function handleUrl(kind: HandleKind, handle: string): string {
  const h = handle.replace(/^@/, '');
  switch (kind) {
    case 'website':
      return handle;
    case 'mastodon': {
      const [user, host] = h.split('@');
      return `https://${host}/@${user}`;
    }
    case 'bluesky':
      return `https://bsky.app/profile/${h}`;
    case 'github':
      return `https://github.com/${h}`;
    case 'gitlab':
      return `https://gitlab.com/${h}`;
    case 'linkedin':
      return `https://www.linkedin.com/in/${h}`;
    case 'x':
      return `https://x.com/${h}`;
  }
}

/** Display form of a handle: `@name@host` for Mastodon, `@name` for most, the host for a website. */
export function handleLabel(kind: HandleKind, handle: string): string {
  if (kind === 'website') return handle.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (kind === 'linkedin') return handle;
  return handle.startsWith('@') ? handle : `@${handle}`;
}

export function parseHandles(json: string): SpeakerHandles {
  try {
    const v = JSON.parse(json) as unknown;
    if (!v || typeof v !== 'object') return {};
    const out: SpeakerHandles = {};
    for (const k of HANDLE_KINDS) {
      const h = (v as Record<string, unknown>)[k];
      if (typeof h === 'string' && h !== '') out[k] = h;
    }
    return out;
  } catch {
    return {};
  }
}
