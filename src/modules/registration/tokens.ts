import { createHmac, randomFillSync } from 'node:crypto';
import QRCode from 'qrcode';
import { safeEqual } from '../../lib/secrets.js';
import { RegistrationErrors } from './registration.errors.js';

/*
 * Signed tokens, stateless: `<kind>.<fields…>.<HMAC-SHA256(secret, "hallway:" + kind + payload)>`
 * with base64url signatures. No personal data: only ids, an expiry and a random nonce.
 *
 * - Ticket (`t.<eventId>.<rsvpId>.<nonce>.<sig>`): printed as a QR code; never expires; voided
 *   by replacing the RSVP's ticket_nonce. The event id lets check-in say "another event"
 *   without a lookup.
 * - Manage link (`m.<rsvpId>.<expires>.<sig>`): the "update my RSVP" link mailed to attendees;
 *   works without signing in until it expires (expires = Unix seconds).
 */

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`hallway:${payload}`).digest('base64url');
}

const NONCE_BYTES = 9;
/** Random bytes drawn in blocks: one randomFillSync per 512 nonces instead of a call per RSVP. */
const noncePool = Buffer.alloc(NONCE_BYTES * 512);
let noncePoolOffset = noncePool.length;

/** A fresh random ticket nonce (stored on the RSVP): 72 bits, base64url. */
export function newTicketNonce(): string {
  if (noncePoolOffset + NONCE_BYTES > noncePool.length) {
    randomFillSync(noncePool);
    noncePoolOffset = 0;
  }
  const nonce = noncePool.toString('base64url', noncePoolOffset, noncePoolOffset + NONCE_BYTES);
  // Each block of bytes is used once: never hand out the same nonce twice.
  noncePoolOffset += NONCE_BYTES;
  return nonce;
}

export function ticketToken(secret: string, t: { eventId: number; rsvpId: number; nonce: string }): string {
  const payload = `t.${t.eventId}.${t.rsvpId}.${t.nonce}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** Reads a ticket token. @throws TICKET_INVALID when unreadable or the signature is wrong. */
export function readTicketToken(secret: string, token: string): { eventId: number; rsvpId: number; nonce: string } {
  const m = /^t\.(\d{1,10})\.(\d{1,10})\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m || !safeEqual(sign(secret, `t.${m[1]}.${m[2]}.${m[3]}`), m[4]!)) throw RegistrationErrors.ticketInvalid();
  return { eventId: Number(m[1]), rsvpId: Number(m[2]), nonce: m[3]! };
}

export function manageToken(secret: string, rsvpId: number, expiresAt: Date): string {
  const payload = `m.${rsvpId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** Reads a manage-link token. @throws RSVP_LINK_INVALID, RSVP_LINK_EXPIRED (checked after the signature). */
export function readManageToken(secret: string, token: string, now: Date): { rsvpId: number } {
  const m = /^m\.(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m || !safeEqual(sign(secret, `m.${m[1]}.${m[2]}`), m[3]!)) throw RegistrationErrors.linkInvalid();
  if (Number(m[2]) * 1000 <= now.getTime()) throw RegistrationErrors.linkExpired();
  return { rsvpId: Number(m[1]) };
}

/** The ticket token as a QR code, an SVG document string (scales to any size). */
export function ticketQrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
