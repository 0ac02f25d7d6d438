import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import { observeQueries, type Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { outboxBacklog } from '../modules/mail/outbox.queries.js';
import { onWaitlistPromotions } from '../modules/registration/promotions.js';
import { registrationTotals } from '../modules/registration/rsvp.queries.js';
import type { DispatchResult } from '../modules/webhooks/webhook-dispatcher.js';
import { webhookBacklog } from '../modules/webhooks/webhook.queries.js';
import { errorBody, type ErrorBody } from './errors.js';
import type { CacheLookup } from './response-cache.js';

/*
 * GET /metrics in the Prometheus text format (prom-client), one registry per app (tests build many
 * apps in one process, so never prom-client's global registry).
 *
 * - Per-process events are counters and histograms fed by hooks outside the domain code: requests
 *   (Fastify's onResponse, labelled by the route pattern, never the raw URL), statements (the
 *   database's query observer, by kind), response-cache lookups, webhook rounds, waitlist promotions.
 * - What lives in the database (outbox, webhooks' backlog, RSVPs) is read at scrape time by the
 *   modules' queries, so every process reports the same figures: aggregate with max(), not sum().
 * - Off unless configured (METRICS_TOKEN and/or METRICS_ADDRESS, see config.ts): with a token the
 *   scrape must send `Authorization: Bearer <token>`; with an address it is served only there.
 */

/** Seconds buckets of request latency: 1 ms to 10 s. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets of one statement: 50 µs to 2.5 s. */
const QUERY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5];

/** prom-client's event loop delay gauges, replaced by three (see the constructor). */
const EVENT_LOOP_LAG_GAUGES = ['', '_min', '_max', '_mean', '_stddev', '_p50', '_p90', '_p99'].map((s) => `nodejs_eventloop_lag${s}_seconds`);

/** The route label of a request that matched no route (a 404): one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface MetricsSources {
  readonly db: Db;
  readonly clock: Clock;
  /** Open Server-Sent Events streams of this process. */
  readonly liveConnections: () => number;
  /** Listeners the live hub follows events for. */
  readonly liveSubscriptions: () => number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly cacheLookups: Counter<'result'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly gauges: Record<
    | 'outbox'
    | 'outboxAge'
    | 'webhooksPending'
    | 'webhookLag'
    | 'webhooksFailing'
    | 'webhooksDisabled'
    | 'seats'
    | 'waitlisted'
    | 'liveConnections'
    | 'liveSubscriptions',
    Gauge<string>
  >;
  private readonly stopObserving: () => void;
  private readonly stopCountingPromotions: () => void;
  private readonly loopDelay: IntervalHistogram;

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    // (Its own event loop monitor, whose gauges are replaced below, samples once a second only.)
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1000 });
    // Gauges named like counters (promtool's lint refuses them); the same figures remain as
    // nodejs_active_{handles,requests,resources} by type: sum() them.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    // The event loop's delay: prom-client's eight gauges compute a standard deviation and three
    // percentiles over the whole recorded histogram at every scrape (half a millisecond, a sixth
    // of a scrape); three of them say what matters.
    for (const name of EVENT_LOOP_LAG_GAUGES) this.registry.removeSingleMetric(name);
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    const loopDelay = this.loopDelay;
    const lagP99 = new Gauge({
      name: 'nodejs_eventloop_lag_p99_seconds',
      help: 'The 99th percentile of the event loop delays since the last scrape.',
      registers,
    });
    const lagMax = new Gauge({ name: 'nodejs_eventloop_lag_max_seconds', help: 'The longest event loop delay since the last scrape.', registers });
    new Gauge({
      name: 'nodejs_eventloop_lag_mean_seconds',
      help: 'The mean event loop delay since the last scrape.',
      registers,
      collect() {
        this.set(loopDelay.count ? loopDelay.mean / 1e9 : 0);
        lagP99.set(loopDelay.count ? loopDelay.percentile(99) / 1e9 : 0);
        lagMax.set(loopDelay.count ? loopDelay.max / 1e9 : 0);
        loopDelay.reset();
      },
    });
    this.requests = new Counter({
      name: 'hallway_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'hallway_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    const queryTime = new Histogram({
      name: 'hallway_db_query_duration_seconds',
      help: 'Time of one database statement (waiting for a connection included), by kind.',
      labelNames: ['kind'],
      buckets: QUERY_BUCKETS,
      registers,
    });
    const queryErrors = new Counter({
      name: 'hallway_db_query_errors_total',
      help: 'Database statements that failed, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.stopObserving = observeQueries(sources.db, (kind, seconds, failed) => {
      queryTime.observe({ kind }, seconds);
      if (failed) queryErrors.inc({ kind });
    });
    this.cacheLookups = new Counter({
      name: 'hallway_response_cache_lookups_total',
      help: 'Cached public pages and API answers by result: hit, not_modified (304), shared (waited for a render under way) or miss (rendered). Hit rate: (hit + not_modified + shared) / all.',
      labelNames: ['result'],
      registers,
    });
    for (const result of ['hit', 'not_modified', 'shared', 'miss']) this.cacheLookups.inc({ result }, 0);
    this.webhookDeliveries = new Counter({
      name: 'hallway_webhook_deliveries_total',
      help: "Webhook deliveries this process's dispatcher made, by outcome (delivered or failed).",
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['delivered', 'failed']) this.webhookDeliveries.inc({ outcome }, 0);
    const promotions = new Counter({
      name: 'hallway_waitlist_promotions_total',
      help: 'RSVPs this process promoted from a waitlist (a seat freed up, capacity raised, or an organizer moved them).',
      registers,
    });
    this.stopCountingPromotions = onWaitlistPromotions((n) => promotions.inc(n));
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
    this.gauges = {
      outbox: gauge('hallway_mail_outbox_messages', 'Mails in the outbox not sent yet, by status (queued, sending, failed).', ['status']),
      outboxAge: gauge('hallway_mail_outbox_oldest_unsent_age_seconds', 'Age of the oldest mail a sender will still try to send (0 when none).'),
      webhooksPending: gauge('hallway_webhook_endpoints_pending', 'Active webhook endpoints that have not yet heard their event’s latest public version.'),
      webhookLag: gauge('hallway_webhook_delivery_lag_seconds', 'Age of the oldest public change a webhook endpoint has not heard yet (0 when none).'),
      webhooksFailing: gauge('hallway_webhook_endpoints_failing', 'Active webhook endpoints whose last delivery failed (being retried).'),
      webhooksDisabled: gauge('hallway_webhook_endpoints_disabled', 'Webhook endpoints turned off after too many failed deliveries.'),
      seats: gauge('hallway_rsvp_seats_taken', 'Seats held by going RSVPs, guests included, over all events.'),
      waitlisted: gauge('hallway_rsvp_waitlisted', 'RSVPs on a waitlist, over all events.'),
      liveConnections: gauge('hallway_live_connections', 'Open live-update streams (Server-Sent Events) of this process.'),
      liveSubscriptions: gauge('hallway_live_subscriptions', 'Listeners the live hub of this process follows events for.'),
    };
  }

  /** Counts one answered request (Fastify's onResponse). */
  observeRequest(request: FastifyRequest, reply: FastifyReply): void {
    const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
    this.requests.inc(labels);
    this.latency.observe(labels, reply.elapsedTime / 1000);
  }

  /** The response cache's lookups (ResponseCache's onLookup). */
  readonly observeCache = (result: CacheLookup): void => this.cacheLookups.inc({ result });

  /** The webhook dispatcher's rounds (its onRound). */
  readonly observeWebhooks = (round: DispatchResult): void => {
    if (round.delivered) this.webhookDeliveries.inc({ outcome: 'delivered' }, round.delivered);
    if (round.failed) this.webhookDeliveries.inc({ outcome: 'failed' }, round.failed);
  };

  /** The text exposition: the database's figures read now, then every metric. */
  async scrape(): Promise<string> {
    const { db, clock } = this.sources;
    const [outbox, webhooks, rsvps] = await Promise.all([outboxBacklog(db), webhookBacklog(db), registrationTotals(db)]);
    const now = clock.now().getTime();
    const age = (at: string | null) => (at === null ? 0 : Math.max(0, (now - Date.parse(at)) / 1000));
    const g = this.gauges;
    for (const status of ['queued', 'sending', 'failed'] as const) g.outbox.set({ status }, outbox[status]);
    g.outboxAge.set(age(outbox.oldestUnsentAt));
    g.webhooksPending.set(webhooks.pending);
    g.webhookLag.set(age(webhooks.oldestPendingChangeAt));
    g.webhooksFailing.set(webhooks.failing);
    g.webhooksDisabled.set(webhooks.disabled);
    g.seats.set(rsvps.seatsTaken);
    g.waitlisted.set(rsvps.waitlisted);
    g.liveConnections.set(this.sources.liveConnections());
    g.liveSubscriptions.set(this.sources.liveSubscriptions());
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.stopObserving();
    this.stopCountingPromotions();
    this.loopDelay.disable();
    this.registry.clear();
  }
}

/** The route pattern a request matched (`/events/:slug`), or UNMATCHED_ROUTE: never the raw URL. */
export function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/** Whether an Authorization header carries `Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

const UNAUTHORIZED: ErrorBody = errorBody(401, 'UNAUTHENTICATED', 'GET /metrics needs the metrics token: send "Authorization: Bearer <METRICS_TOKEN>".');

/** What a scrape gets: the exposition, or the 401 when the token is required and missing or wrong. */
async function answer(metrics: Metrics, token: string | undefined, authorization: string | undefined) {
  if (token !== undefined && !bearerMatches(authorization, token))
    return { status: 401, type: 'application/json; charset=utf-8', body: JSON.stringify(UNAUTHORIZED) };
  return { status: 200, type: metrics.contentType, body: await metrics.scrape() };
}

/** GET /metrics on the app's own port (METRICS_TOKEN set, no METRICS_ADDRESS). */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string): void {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const a = await answer(metrics, token, request.headers.authorization);
    reply.header('Cache-Control', 'no-store');
    if (a.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
    return reply.code(a.status).type(a.type).send(a.body);
  });
}

/**
 * Serves GET /metrics alone on METRICS_ADDRESS (its own listener: a port the proxy does not
 * forward), with the token too when METRICS_TOKEN is set. Resolves once listening, with the
 * address bound and the function that closes it.
 */
export async function listenForMetrics(
  metrics: Metrics,
  config: Config['metrics'],
  log: { error(obj: object, msg: string): void },
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const address = config.address!;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      send(404, 'application/json; charset=utf-8', JSON.stringify(errorBody(404, 'NOT_FOUND', `Nothing at ${path}: this address serves GET /metrics only.`)));
      return;
    }
    answer(metrics, config.token, req.headers.authorization).then(
      (a) => send(a.status, a.type, a.body, a.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}),
      (err: unknown) => {
        log.error({ err }, 'metrics scrape failed');
        send(500, 'application/json; charset=utf-8', JSON.stringify(errorBody(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.')));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
