import pg from 'pg';
import type { DatabaseConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import { applyNotice, decodeNotice, isNews, LIVE_CHANNEL, newerState, noticesBetween, type LiveNotice, type LiveState } from './live.js';
import { readLiveStates } from './live.queries.js';

/*
 * The live hub: one per process (buildApp starts it), telling in-process subscribers (the SSE
 * connections of src/web) when an event gets a new release or its draft changes, whichever
 * process made the change.
 *
 * - PostgreSQL: one dedicated connection LISTENs on LIVE_CHANNEL; writers NOTIFY inside their
 *   transaction (live.queries.ts), so a notice arrives only for what committed. When that
 *   connection drops it is re-established (250 ms, doubling to 5 s), and then the states of all
 *   subscribed events are read once, so nothing that committed meanwhile is missed.
 * - SQLite (several processes may share the file, and there is no NOTIFY): while at least one
 *   subscriber exists, one poll every `pollMs` reads the states of all subscribed events in one
 *   statement and announces what moved on.
 *
 * Either way the hub keeps each subscribed event's state in memory and fans notices out to its
 * subscribers: an idle subscriber costs no database work of its own, and 2,000 of them on one event
 * cost what one does. An event's state is read once when its first subscriber arrives (after the
 * connection listens, so no commit falls between), and states only ever move forward, so notices
 * and reads arriving out of order never announce anything twice or go back.
 */

export type LiveListener = (notice: LiveNotice) => void;

export interface LiveSubscription {
  /**
   * Resolves with the event's state once the hub follows it: every change that commits from then
   * on is announced to the listener (earlier ones are in the state). Rejects when the database
   * cannot be read or listened to; the subscription is then closed.
   */
  readonly ready: Promise<LiveState>;
  /** Stops listening (idempotent). */
  close(): void;
}

export interface LiveLogger {
  warn(obj: object, msg: string): void;
}

export interface LiveHubOptions {
  /** SQLite: how often the states of subscribed events are read (default 250 ms). */
  readonly pollMs?: number;
}

interface Followed {
  readonly listeners: Set<LiveListener>;
  state: LiveState | undefined;
  /** The first read of the state (shared by every subscriber arriving meanwhile). */
  ready: Promise<void> | undefined;
}

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;

export class LiveHub {
  private readonly events = new Map<number, Followed>();
  private readonly pollMs: number;
  private readonly listener: PgListener | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    database: DatabaseConfig,
    private readonly log: LiveLogger,
    options: LiveHubOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.listener =
      database.kind === 'postgres'
        ? new PgListener(database.url, log, {
            onNotice: (notice) => this.announce(notice),
            onReconnected: () => this.refresh(),
          })
        : undefined;
  }

  /** Follows `eventId` for `listener` (see LiveSubscription). */
  subscribe(eventId: number, listener: LiveListener): LiveSubscription {
    if (this.stopped) return { ready: Promise.reject(new Error('the live hub is stopped')), close: () => {} };
    let followed = this.events.get(eventId);
    if (!followed) {
      followed = { listeners: new Set(), state: undefined, ready: undefined };
      this.events.set(eventId, followed);
    }
    const f = followed;
    f.listeners.add(listener);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      f.listeners.delete(listener);
      if (f.listeners.size === 0 && this.events.get(eventId) === f) this.events.delete(eventId);
      if (this.events.size === 0) this.stopPolling();
    };
    f.ready ??= this.follow(eventId, f);
    const ready = f.ready.then(
      () => f.state!,
      (err: unknown) => {
        if (f.ready && f.state === undefined) f.ready = undefined; // the next subscriber tries again
        close();
        throw err;
      },
    );
    this.startPolling();
    return { ready, close };
  }

  /** How many listeners are subscribed, over all events. */
  get subscriberCount(): number {
    let n = 0;
    for (const f of this.events.values()) n += f.listeners.size;
    return n;
  }

  /** Stops polling and listening; subscribers hear nothing more. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopPolling();
    this.events.clear();
    await this.listener?.stop();
  }

  private async follow(eventId: number, f: Followed): Promise<void> {
    await this.listener?.listening();
    const states = await readLiveStates(this.db, [eventId]);
    f.state = newerState(f.state, states.get(eventId) ?? { version: 0, release: null });
  }

  /** A notice from another process (PostgreSQL): to the event's subscribers, if it is news. */
  private announce(notice: LiveNotice): void {
    const f = this.events.get(notice.eventId);
    if (!f || !isNews(f.state, notice)) return;
    f.state = applyNotice(f.state, notice);
    for (const listener of [...f.listeners]) listener(notice);
  }

  /** Reads the state of every followed event once and announces what moved on. */
  private async refresh(): Promise<void> {
    const followed = [...this.events].filter(([, f]) => f.state !== undefined);
    if (followed.length === 0) return;
    const states = await readLiveStates(
      this.db,
      followed.map(([id]) => id),
    );
    for (const [eventId, f] of followed) {
      const now = states.get(eventId);
      if (!now || !f.state) continue;
      const notices = noticesBetween(eventId, f.state, now);
      f.state = newerState(f.state, now);
      for (const notice of notices) for (const listener of [...f.listeners]) listener(notice);
    }
  }

  private startPolling(): void {
    if (this.listener || this.pollTimer || this.stopped) return;
    const tick = () => {
      this.pollTimer = undefined;
      if (this.stopped || this.events.size === 0) return;
      this.polling = true;
      this.refresh()
        .catch((err: unknown) => this.log.warn({ err }, 'live updates: reading event states failed; trying again'))
        .finally(() => {
          this.polling = false;
          if (!this.stopped && this.events.size > 0 && !this.pollTimer) this.pollTimer = setTimeout(tick, this.pollMs).unref();
        });
    };
    if (!this.polling) this.pollTimer = setTimeout(tick, this.pollMs).unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }
}

/**
 * The one connection of a process that LISTENs (PostgreSQL). Opened by the first subscriber, kept
 * until the hub stops, and opened again whenever it drops.
 */
class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private delayMs = RECONNECT_FIRST_MS;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly log: LiveLogger,
    private readonly on: { onNotice: (notice: LiveNotice) => void; onReconnected: () => Promise<void> },
  ) {}

  /** Resolves once the connection listens (connecting first if needed). */
  listening(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the live hub is stopped'));
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 10_000, application_name: 'hallway live' });
    client.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      const notice = decodeNotice(msg.payload);
      if (notice) this.on.onNotice(notice);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new Error('the live hub is stopped');
    }
    this.client = client;
    this.delayMs = RECONNECT_FIRST_MS;
  }

  /** The connection failed or closed: open another after a pause, then catch up. */
  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.warn({ err }, 'live updates: the listening PostgreSQL connection was lost; reconnecting');
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.stopped || this.retry) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, RECONNECT_MAX_MS);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.listening()
        .then(() => this.on.onReconnected())
        .catch((err: unknown) => {
          if (this.stopped) return;
          this.log.warn({ err }, 'live updates: reconnecting to PostgreSQL failed; trying again');
          this.reconnectLater();
        });
    }, delay).unref();
  }
}
