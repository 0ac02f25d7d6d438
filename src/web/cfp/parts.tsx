import { fromStoredInstant } from '../../lib/time.js';
import { cfpWindow, PROPOSAL_STATE_LABELS, type CfpSettings, type CfpWindow, type ProposalRecord, type ProposalState } from '../../modules/cfp/cfp.js';
import { COSPEAKER_STATUS_LABELS, type CospeakerStatus } from '../../modules/cfp/cospeaker.js';
import { SESSION_KIND_LABELS, SESSION_LEVELS } from '../../modules/program/session.js';
import { ErrorSummary, SelectField, TextArea, TextField, type FormState, type Option } from '../components/form.js';
import { cx } from '../components/html.js';

/*
 * Pieces every CFP page shares: the call's dates and state in words, plain text shown as
 * paragraphs (always escaped: the call text and proposals are user text), the proposal form's
 * fields, and the state badge.
 */

export const cfpPaths = {
  call: (slug: string) => `/events/${encodeURIComponent(slug)}/cfp`,
  submit: (slug: string) => `/events/${encodeURIComponent(slug)}/cfp/submit`,
  mine: () => '/account/proposals',
  proposal: (id: number) => `/account/proposals/${id}`,
  withdraw: (id: number) => `/account/proposals/${id}/withdraw`,
  /** Answering one's own invitation to co-speak (POST). */
  answer: (id: number) => `/account/proposals/${id}/invitation`,
};

/** "Monday 1 February 2027, 09:00 (Europe/Amsterdam)": the wall-clock time in the event's zone. */
export function localWhen(instant: string, zone: string): string {
  return `${fromStoredInstant(instant, zone).toFormat('cccc d LLLL yyyy, HH:mm')} (${zone})`;
}

/** Where the call stands at `now` (ctx.clock.instant()); a cancelled event's call counts as closed (proposals are refused). */
export function windowOf(cfp: CfpSettings, now: string, cancelled = false): CfpWindow {
  return cancelled ? 'closed' : cfpWindow(cfp, now);
}

export function windowSentence(cfp: CfpSettings, zone: string, now: string, cancelled = false): string {
  if (cancelled) return 'The event was cancelled, so its call for proposals is closed.';
  const w = windowOf(cfp, now);
  if (w === 'open') return `The call for proposals is open until ${localWhen(cfp.closesAt, zone)}.`;
  if (w === 'not_yet_open') return `The call for proposals opens on ${localWhen(cfp.opensAt, zone)}.`;
  if (w === 'closed_early') return 'The call for proposals is closed: the organizers closed it early.';
  return `The call for proposals closed on ${localWhen(cfp.closesAt, zone)}.`;
}

/** Plain text as paragraphs (blank lines) and line breaks, every piece escaped. */
export function TextParagraphs(p: { text: string; class?: string }): JSX.Element {
  const paras = p.text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (paras.length === 0) return '';
  return (
    <div class={cx('plain-text', p.class)}>
      {paras.map((para) => (
        <p>
          {para.split('\n').map((line, i) => (
            <>
              {i > 0 ? <br /> : ''}
              <span safe>{line}</span>
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

export function ProposalStateBadge(p: { state: ProposalState }): JSX.Element {
  return (
    <span class={cx('badge', 'bo-state', `bo-state-${p.state}`)} safe>
      {PROPOSAL_STATE_LABELS[p.state]}
    </span>
  );
}

export const PROPOSAL_LABELS: Record<string, string> = {
  title: 'Title',
  kind: 'Format',
  abstract: 'Abstract',
  description: 'Description',
  trackId: 'Track',
  language: 'Language',
  level: 'Level',
  notes: 'Notes for the organizers',
  coSpeakers: 'Co-speakers',
};

/** The proposal's fields, as typed or as stored (`proposal`), with each problem next to its field. */
export function ProposalFields(p: {
  state: FormState;
  cfp: CfpSettings;
  tracks: readonly { id: number; name: string }[];
  proposal?: ProposalRecord;
}): JSX.Element {
  const pr = p.proposal;
  const formats: Option[] = p.cfp.formats.map((f) => ({ value: f.kind, label: `${SESSION_KIND_LABELS[f.kind]} (${f.durationMinutes} minutes)` }));
  return (
    <>
      <ErrorSummary state={p.state} labels={PROPOSAL_LABELS} />
      <TextField name="title" label="Title" state={p.state} fallback={pr?.title} required />
      <SelectField name="kind" label="Format" state={p.state} fallback={pr?.kind} options={formats} required />
      <TextArea
        name="abstract"
        label="Abstract"
        hint="Public: shown on the programme if the proposal is accepted. Plain text."
        rows={6}
        state={p.state}
        fallback={pr?.abstract}
        required
      />
      <TextArea
        name="description"
        label="Description"
        hint="For the reviewers: outline, what people will learn, why you."
        rows={10}
        state={p.state}
        fallback={pr?.description}
      />
      {p.tracks.length ? (
        <SelectField
          name="trackId"
          label="Track"
          state={p.state}
          fallback={pr?.trackId}
          options={[{ value: '', label: '— no preference —' }, ...p.tracks.map((t) => ({ value: String(t.id), label: t.name }))]}
        />
      ) : (
        ''
      )}
      <TextField name="language" label="Language" hint="A language code such as en, de or pt-BR." state={p.state} fallback={pr?.language ?? 'en'} />
      <SelectField
        name="level"
        label="Level"
        state={p.state}
        fallback={pr?.level}
        options={[{ value: '', label: '— not given —' }, ...SESSION_LEVELS.map((l) => ({ value: l, label: l }))]}
      />
      <TextArea
        name="notes"
        label="Notes for the organizers"
        hint="Private: only the organizers and reviewers read them."
        rows={3}
        state={p.state}
        fallback={pr?.notes}
      />
      <TextArea
        name="coSpeakers"
        label="Co-speakers"
        hint="Their e-mail addresses, one per line (at most 5). Each is asked by mail whether they speak with you, and counts as a speaker only once they accept."
        rows={3}
        state={p.state}
        fallback={pr?.speakers
          .slice(1)
          .map((s) => s.email)
          .join('\n')}
      />
    </>
  );
}

/**
 * A speaker as a page shows them: with the address for the proposal's own speakers and the
 * organizers; to reviewers the name only ("invited co-speaker" until they accepted). A co-speaker
 * who has not accepted shows the invitation's state, never a name.
 */
export function speakerLabel(s: { name: string | null; email: string; status: CospeakerStatus }, showAddress: boolean): string {
  const who = !showAddress ? (s.name ?? 'invited co-speaker') : s.name ? `${s.name} <${s.email}>` : s.email;
  return s.status === 'accepted' ? who : `${who} (${COSPEAKER_STATUS_LABELS[s.status]})`;
}

/** The read-only view of a proposal's text. */
export function ProposalText(p: { proposal: ProposalRecord; showPrivate: boolean; showAddresses: boolean }): JSX.Element {
  const pr = p.proposal;
  return (
    <>
      <dl class="bo-facts">
        <div>
          <dt>Format</dt>
          <dd safe>{`${SESSION_KIND_LABELS[pr.kind]}, ${pr.durationMinutes} minutes`}</dd>
        </div>
        <div>
          <dt>Track</dt>
          <dd safe>{pr.trackName ?? '—'}</dd>
        </div>
        <div>
          <dt>Language and level</dt>
          <dd safe>{`${pr.language}${pr.level ? `, ${pr.level}` : ''}`}</dd>
        </div>
        <div>
          <dt>Speakers</dt>
          <dd safe>{pr.speakers.map((s) => speakerLabel(s, p.showAddresses)).join(', ')}</dd>
        </div>
        <div>
          <dt>Code</dt>
          <dd>
            <code safe>{pr.code}</code>
          </dd>
        </div>
      </dl>
      <h2>Abstract</h2>
      <TextParagraphs text={pr.abstract} />
      {pr.description ? (
        <>
          <h2>Description</h2>
          <TextParagraphs text={pr.description} />
        </>
      ) : (
        ''
      )}
      {p.showPrivate && pr.notes ? (
        <>
          <h2>Notes for the organizers</h2>
          <TextParagraphs text={pr.notes} />
        </>
      ) : (
        ''
      )}
    </>
  );
}
