import type { Generated, Selectable } from 'kysely';

/** One row per event that takes RSVPs (created with defaults on first use). */
export interface RegistrationSettingsTable {
  event_id: number;
  // The capacity (seats including guests) is the event's own: events.capacity.
  opens_at: string | null;
  /** null = closes when the event starts. */
  closes_at: string | null;
  /** Set when an organizer closed RSVPs early; null when open. */
  closed_at: string | null;
  guest_limit: Generated<number>;
  /** JSON array of Question (registration.ts). */
  questions: Generated<string>;
  allow_session_overlap: Generated<number>;
  /** JSON array of hours before the start. */
  reminder_hours: Generated<string>;
  /** The last waitlist arrival number handed out. */
  waitlist_seq: Generated<number>;
  /** Seats held by going RSVPs (each 1 + guests); kept by triggers on rsvps, never written here. */
  seats_taken: Generated<number>;
  /** Waitlisted RSVPs; kept by triggers on rsvps, never written here. */
  waitlisted: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface TicketTypeTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  description: Generated<string>;
  quota: number | null;
  price_cents: Generated<number>;
  currency: string | null;
  position: number;
  created_at: string;
}

export interface RsvpTable {
  id: Generated<number>;
  event_id: number;
  user_id: number;
  /** RsvpStatus: going | waitlisted | not_going | cancelled. */
  status: string;
  guests: Generated<number>;
  /** JSON object question id → answer. */
  answers: Generated<string>;
  ticket_type_id: number | null;
  waitlist_seq: number | null;
  ticket_nonce: string;
  promoted_at: string | null;
  checked_in_at: string | null;
  checked_in_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface RsvpReminderTable {
  rsvp_id: number;
  hours_before: number;
  sent_at: string;
}

export interface SignupSessionTable {
  session_id: number;
  event_id: number;
  capacity: number | null;
  waitlist_seq: Generated<number>;
  created_at: string;
}

export interface SessionSignupTable {
  id: Generated<number>;
  session_id: number;
  event_id: number;
  user_id: number;
  /** going | waitlisted | cancelled. */
  status: string;
  waitlist_seq: number | null;
  promoted_at: string | null;
  created_at: string;
  updated_at: string;
}

export type RegistrationSettingsRow = Selectable<RegistrationSettingsTable>;
export type TicketTypeRow = Selectable<TicketTypeTable>;
export type RsvpRow = Selectable<RsvpTable>;
export type SessionSignupRow = Selectable<SessionSignupTable>;
export type SignupSessionRow = Selectable<SignupSessionTable>;
