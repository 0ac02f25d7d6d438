import type { Actor, EventScope } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';

/*
 * Webhook permissions as pure predicates.
 */

/**
 * Register, pause, rotate, test and delete an event's webhooks and read their deliveries:
 * owners and organizers of the event or its community (the secrets sign what others trust).
 */
export function canManageWebhooks(actor: Actor | null, scope: EventScope): boolean {
  return canManageEvent(actor, scope);
}
