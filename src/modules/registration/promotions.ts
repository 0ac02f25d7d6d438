/*
 * Waitlist promotions as they happen in this process, for whoever counts them (the metrics'
 * hallway_waitlist_promotions_total): counting promoted RSVPs in the database at every scrape
 * reads every RSVP row. Told when the promoting transaction has made its changes (a transaction
 * that then fails is still counted: rare, and a counter of attempts is the safer error).
 */

type PromotionListener = (count: number) => void;

const listeners = new Set<PromotionListener>();

/** Subscribes to the waitlist promotions of this process; returns the unsubscribe function. */
export function onWaitlistPromotions(listener: PromotionListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Called by the registration code with how many RSVPs it just promoted from a waitlist. */
export function notifyWaitlistPromotions(count: number): void {
  if (count > 0) for (const l of listeners) l(count);
}
