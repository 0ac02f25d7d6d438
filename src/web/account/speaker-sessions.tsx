import type { MySpeakerSession } from '../../modules/agenda/speaker-links.queries.js';
import { attendeePaths } from '../attendee/shared.js';
import { attrText, paths } from '../components/html.js';

/**
 * "Your sessions" on the account page: the sessions of published events the person speaks at
 * (speaker profiles linked to their account), each with its public page and the private page
 * where they add slides and video after the talk. Nothing when they speak nowhere.
 */
export function SpeakerSessions(p: { sessions: readonly MySpeakerSession[] }): JSX.Element {
  if (p.sessions.length === 0) return '';
  return (
    <section class="account-card" aria-labelledby="speaker-sessions-heading">
      <h2 id="speaker-sessions-heading">Your sessions</h2>
      <p>The sessions you speak at. After your talk, add your slides and the video: the session page, the schedule exports and recaps show them.</p>
      <ul class="speaker-sessions">
        {p.sessions.map((s) => (
          <li>
            <a href={attrText(paths.session(s.eventSlug, s.sessionCode))} safe>
              {s.sessionTitle}
            </a>{' '}
            <span
              class="hint"
              safe
            >{`· ${s.eventTitle}${s.status === 'cancelled' ? ' · cancelled' : ''}${s.linkCount ? ` · ${s.linkCount} ${s.linkCount === 1 ? 'link' : 'links'}` : ''}`}</span>{' '}
            <a href={attrText(attendeePaths.links(s.eventSlug, s.sessionCode))}>
              Add slides or video<span class="vh" safe>{` to ${s.sessionTitle}`}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
