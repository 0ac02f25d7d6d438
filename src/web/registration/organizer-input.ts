import type { Problem } from '../../lib/domain-error.js';
import { parseInstant, toStoredInstant } from '../../lib/time.js';
import { localDateTime } from '../../modules/events/event-dates.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { RegistrationSettings } from '../../modules/registration/rsvp.queries.js';
import { field } from './shared.js';

/*
 * The organizer's settings form, both ways: flat form fields (times as wall-clock readings in the
 * event's zone, questions as numbered rows, reminder hours as "24, 2") to the action's input, and
 * stored settings back to form values.
 */

/** How many empty question rows the form offers for adding. */
export const NEW_QUESTION_ROWS = 2;

const slugOf = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/** The indexes of posted `questions[i].…` rows, in order. */
function questionIndexes(body: Record<string, unknown>): number[] {
  const set = new Set<number>();
  for (const k of Object.keys(body)) {
    const m = /^questions\[(\d{1,2})\]\./.exec(k);
    if (m) set.add(Number(m[1]));
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The updateRegistrationSettings input from the posted form. Blank question rows are dropped; a
 * question without an id gets one from its label. @throws VALIDATION_FAILED for a time that is
 * not one (or does not exist in the zone) and for reminder hours that are not whole numbers.
 */
export function settingsInput(body: Record<string, unknown>, zone: string): Record<string, unknown> {
  const problems: Problem[] = [];
  const time = (name: 'opensAt' | 'closesAt') => {
    const raw = field(body, name).trim();
    if (raw === '') return null;
    const dt = parseInstant(raw, zone);
    if (!dt) {
      problems.push({ path: name, message: `is not a date and time in ${zone}` });
      return null;
    }
    return toStoredInstant(dt);
  };
  const opensAt = time('opensAt');
  const closesAt = time('closesAt');
  const questions = questionIndexes(body)
    .map((i) => {
      const f = (k: string) => field(body, `questions[${i}].${k}`).trim();
      const label = f('label');
      const id = f('id') || slugOf(label);
      if (!id && !label) return null;
      return {
        id,
        label,
        kind: f('kind') || 'text',
        required: f('required') === 'on' ? 'yes' : 'no',
        options: f('options')
          ? f('options')
              .split(',')
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
      };
    })
    .filter((q) => q !== null);
  const hoursText = field(body, 'reminderHours').trim();
  const reminderHours =
    hoursText === ''
      ? []
      : hoursText
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map(Number);
  if (reminderHours.some((h) => !Number.isInteger(h))) problems.push({ path: 'reminderHours', message: 'must be whole numbers of hours, separated by commas' });
  if (problems.length) throw EventErrors.validationFailed(problems);
  return {
    opensAt,
    closesAt,
    guestLimit: field(body, 'guestLimit'),
    questions,
    allowSessionOverlap: field(body, 'allowSessionOverlap') === 'on' ? 'yes' : 'no',
    reminderHours,
  };
}

/** The settings as form values (times as wall-clock readings in the zone). */
export function settingsValues(s: RegistrationSettings, zone: string): Record<string, string> {
  const values: Record<string, string> = {
    opensAt: s.opensAt ? localDateTime(s.opensAt, zone) : '',
    closesAt: s.closesAt ? localDateTime(s.closesAt, zone) : '',
    guestLimit: String(s.guestLimit),
    allowSessionOverlap: s.allowSessionOverlap ? 'on' : '',
    reminderHours: s.reminderHours.join(', '),
  };
  s.questions.forEach((q, i) => {
    values[`questions[${i}].id`] = q.id;
    values[`questions[${i}].label`] = q.label;
    values[`questions[${i}].kind`] = q.kind;
    values[`questions[${i}].required`] = q.required ? 'on' : '';
    values[`questions[${i}].options`] = q.options.join(', ');
  });
  return values;
}

/** How many question rows the form shows: the posted or stored ones plus room to add. */
export function questionRowCount(values: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const k of Object.keys(values)) {
    const m = /^questions\[(\d{1,2})\]\./.exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(10, n + NEW_QUESTION_ROWS);
}
