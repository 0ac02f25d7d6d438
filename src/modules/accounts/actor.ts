/**
 * Who is asking. Built once per request (from the session cookie or an API token) and passed
 * to every action and policy; never read from a global.
 */
export const ROLES = ['owner', 'organizer', 'track_manager', 'reviewer', 'speaker', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  organizer: 'Organizer',
  track_manager: 'Track manager',
  reviewer: 'Reviewer',
  speaker: 'Speaker',
  volunteer: 'Check-in volunteer',
};

export interface RoleGrant {
  readonly scope: 'community' | 'event';
  readonly scopeId: number;
  readonly role: Role;
  /** For track managers: the tracks they run. Empty for every other role. */
  readonly trackIds: readonly number[];
}

export interface Actor {
  readonly userId: number;
  readonly displayName: string;
  readonly isAdmin: boolean;
  readonly emailVerified: boolean;
  readonly grants: readonly RoleGrant[];
}

/** The event a permission question is about: its id and the community that runs it. */
export interface EventScope {
  readonly eventId: number;
  readonly communityId: number;
}
