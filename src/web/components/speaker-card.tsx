import type { Speaker } from '../../modules/schedule/snapshot.js';
import { attrText, paths, safeUrl } from './html.js';

/** "Staff Engineer at Analytical Ltd", "CTO", "Compilers Inc", or ''. */
export function affiliation(s: Pick<Speaker, 'jobTitle' | 'company'>): string {
  if (s.jobTitle && s.company) return `${s.jobTitle} at ${s.company}`;
  return s.jobTitle || s.company;
}

/** The speaker's photo, or their initials in a circle (decorative: the name is next to it). */
export function Avatar({ speaker, size }: { speaker: Pick<Speaker, 'name' | 'avatarUrl'>; size: 'small' | 'large' }): JSX.Element {
  const url = safeUrl(speaker.avatarUrl);
  const px = size === 'large' ? 160 : 64;
  if (url?.startsWith('https://')) {
    return <img class={`avatar avatar-${size}`} src={url} alt={attrText(`Photo of ${speaker.name}`)} width={String(px)} height={String(px)} loading="lazy" />;
  }
  const initials = speaker.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
  return (
    <span class={`avatar avatar-${size} avatar-initials`} aria-hidden="true" safe>
      {initials}
    </span>
  );
}

/** A speaker in a list: avatar, linked name, job title and company, and an optional note. */
export function SpeakerCard({ eventSlug, speaker, note }: { eventSlug: string; speaker: Speaker; note?: string }): JSX.Element {
  const aff = affiliation(speaker);
  return (
    <li class="speaker-card">
      <Avatar speaker={speaker} size="small" />
      <div>
        <a class="speaker-name" href={paths.speaker(eventSlug, speaker.code)} safe>
          {speaker.name}
        </a>
        {aff ? (
          <p class="speaker-affiliation" safe>
            {aff}
          </p>
        ) : (
          ''
        )}
        {note ? (
          <p class="speaker-note" safe>
            {note}
          </p>
        ) : (
          ''
        )}
      </div>
    </li>
  );
}
