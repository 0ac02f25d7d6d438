import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../src/db/database.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { createTestUser } from '../factories/users.js';
import { moduleContext } from '../support/module-context.js';

/** What a receiver got: one POST. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers `status` (changeable). */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Status of the next answers (default 204). */
  status: number;
  /** Milliseconds to wait before answering (default 0). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => res.writeHead(receiver.status).end(), receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/hallway`,
    received: [],
    status: 204,
    delayMs: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}

/**
 * Checks a delivery's hallway-signature the way the README tells receivers to: recompute the
 * HMAC of "<t>.<body>" with the secret and compare in constant time. Returns t (unix seconds).
 */
export function verifySignature(secret: string, r: Received): number {
  const header = String(r.headers['hallway-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) throw new Error(`malformed hallway-signature: ${header}`);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) throw new Error('signature does not match');
  return Number(m[1]);
}

let seq = 0;

/** An organizer of the event, as an Actor for calling actions directly. */
export async function organizerOf(db: Db, eventId: number): Promise<Actor> {
  const u = await createTestUser(db, {
    email: `webhook.organizer.${++seq}@example.org`,
    grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
  });
  return actorFor(db, await db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow());
}

/** A programme edit through the real action (renames a session); returns the event's new version. */
export async function editProgramme(db: Db, actor: Actor, eventId: number, title: string): Promise<number> {
  const session = await db.selectFrom('sessions').select('id').where('event_id', '=', eventId).orderBy('id').executeTakeFirstOrThrow();
  await updateSession(moduleContext(db), actor, eventId, session.id, { title });
  return versionOf(db, eventId);
}

export async function versionOf(db: Db, eventId: number): Promise<number> {
  return (await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
}

/** An instant `minutes` after `start`. */
export function later(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}
