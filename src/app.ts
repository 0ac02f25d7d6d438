import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import staticFiles from '@fastify/static';
import swagger from '@fastify/swagger';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createDb, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { writeApiTokenUses } from './modules/accounts/api-token-use.js';
import { WarningsCache } from './modules/planning/warnings.cache.js';
import { OptimizerRuns } from './modules/planning/optimizer-runs.js';
import { OPTIMIZER_ENGINE } from './modules/planning/optimizer-engine.js';
import type { OptimizerEngine } from './modules/planning/proposal.js';
import { SnapshotCache } from './modules/schedule/snapshot.cache.js';
import { ResponseCache } from './http/response-cache.js';
import { EventStreams, type EventStreamSettings } from './http/event-stream.js';
import { LiveHub, type LiveHubOptions } from './modules/live/live-hub.js';
import { sendJsonError, toErrorBody } from './http/errors.js';
import { healthRoutes } from './http/health.routes.js';
import { registerAuth } from './http/auth.js';
import { ensureInstanceSecret } from './modules/accounts/settings.queries.js';
import type { AppContext } from './http/context.js';
import { lingerBeforeClosing } from './http/lingering-close.js';
import { webRoutes, renderErrorPage } from './web/index.js';
import { apiV1Routes } from './api/v1/index.js';
import { exportRoutes } from './web/public/export.routes.js';
import { startMailSender } from './modules/mail/sender.js';
import { startReminderTimer } from './modules/registration/reminder.timer.js';
import { startWebhookDispatcher, type WebhookDispatcherOptions } from './modules/webhooks/webhook-dispatcher.js';
import { allowMarkdownImagesFrom } from './web/components/markdown.js';
import { startBackupTimer } from './modules/backup/backup.timer.js';
import { listenForMetrics, Metrics, metricsRoute, routeLabel } from './http/metrics.js';

export interface BuildOptions {
  /** Use this database instead of opening config.database (tests share one). */
  db?: Db;
  /** Pino options or false; defaults to JSON logs at config.logLevel. */
  logger?: boolean | object;
  /** Run migrations before serving (default true). */
  migrate?: boolean;
  /** Start the background mail sender (default true). */
  mailSender?: boolean;
  /** Start the webhook dispatcher (default true, every 5 s); tests drive deliverDueWebhooks themselves or poll faster. */
  webhookDispatcher?: boolean | WebhookDispatcherOptions;
  /** Run the scheduled backups when BACKUP_DIR is set (default true; `checkMs`: how often to ask whether one is due). */
  backupTimer?: boolean | { checkMs?: number };
  /** Called with every route as it is registered (the tests' route inventory). */
  onRoute?: (route: RouteOptions) => void;
  /** The clock of every module, page and job (default the system clock; tests pass fixedClock). */
  clock?: Clock;
  /** Live updates: the SQLite poll interval, the SSE heartbeat and the most streams one process holds. */
  live?: LiveHubOptions & EventStreamSettings;
  /** The optimizer behind "Propose a programme" (default the real one; tests may stand in for it). */
  optimizer?: { engine?: OptimizerEngine; heartbeatMs?: number; staleMs?: number };
}

export interface HallwayApp {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  /** The Prometheus metrics, when configured (METRICS_TOKEN or METRICS_ADDRESS). */
  readonly metrics: Metrics | undefined;
  /**
   * With METRICS_ADDRESS, starts the separate listener serving GET /metrics there (server.ts
   * calls it; close() stops it) and resolves with its URL; otherwise resolves with undefined.
   */
  listenMetrics(): Promise<string | undefined>;
  /**
   * Ends the live streams, stops accepting requests, lets in-flight ones finish, stops the mail
   * sender, webhook dispatcher and live hub, closes the database.
   */
  close(): Promise<void>;
}

/** Builds the whole application from a validated config. Never listens: server.ts does. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<HallwayApp> {
  const ownsDb = !options.db;
  const db = options.db ?? createDb(config.database, { backgroundCheckpoints: true });
  if (options.migrate !== false) await migrateToLatest(db);
  allowMarkdownImagesFrom(config.baseUrl, config.markdownImageHosts);

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Requests already accepted when SIGTERM arrives are served, not answered 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    bodyLimit: 25 * 1024 * 1024,
    // One log line per request (Fastify's own are two), with its request id.
    logController: new RequestLog(),
    // The request id: a sane X-Request-Id from the client or proxy, else a new UUID (genReqId
    // reads the header itself, so an unchecked value never becomes the id).
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  lingerBeforeClosing(app);
  const metricsOn = config.metrics.token !== undefined || config.metrics.address !== undefined;
  const metrics = metricsOn
    ? new Metrics({
        db,
        clock: options.clock ?? systemClock,
        liveConnections: () => ctx.streams.size,
        liveSubscriptions: () => ctx.live.subscriberCount,
      })
    : undefined;
  const ctx: AppContext = {
    config,
    db,
    snapshots: new SnapshotCache(db),
    responses: new ResponseCache(config.renderCacheEntries, metrics?.observeCache),
    live: new LiveHub(db, config.database, app.log, options.live),
    streams: new EventStreams(options.live),
    planning: new WarningsCache(),
    optimizer: new OptimizerRuns(options.optimizer?.engine ?? OPTIMIZER_ENGINE, options.optimizer ?? {}),
    clock: options.clock ?? systemClock,
  };
  // Open event streams never finish by themselves: they are ended before the server stops
  // listening, so closing never waits for them (browsers reconnect elsewhere or later).
  app.addHook('preClose', (done) => {
    ctx.streams.closeAll();
    done();
  });

  // Security headers on every answer (pages, API, assets, errors). helmet's middleware is built
  // once here: @fastify/helmet rebuilt it on every request (re-parsing the CSP), which was ~8% of
  // a cached page's CPU under load.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    hsts: config.baseUrl.startsWith('https://'),
  });
  // helmet's headers do not depend on the request: computed once, then copied onto each reply
  // (running its chain of twelve middlewares was ~3% of an API request's CPU).
  const headers = staticSecurityHeaders(securityHeaders);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('X-Request-Id', request.id);
    done();
  });
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.observeRequest(request, reply);
      done();
    });
  }
  await app.register(formbody);
  await registerAuth(app, ctx, config.secretKey ?? (await ensureInstanceSecret(db)));
  // Collects the API routes' schemas into the OpenAPI document served at /api/openapi.json.
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hallway API',
        version: '1.0.0',
        description:
          'Public, read-only programme data of published events under /api/v1/events, the registration state of an event (/api/v1/events/{slug}/registration), the organizer API under /api/v1/manage (tag "Organizer") and the attendee API under /api/v1/me (tag "Attendee": your RSVPs, ticket, session sign-ups, communities); both need a personal access token sent as "Authorization: Bearer hw_…" (cookies are not accepted there). Errors share one shape: {"error":{"code","message","status","problems":[{"path","message"}]}}.',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'A personal access token (hw_…), created under Account → API tokens; it acts as its owner.',
          },
        },
      },
    },
  });
  await app.register(staticFiles, {
    root: fileURLToPath(new URL('./web/assets/', import.meta.url)),
    prefix: '/assets/',
    maxAge: '1h',
  });

  app.setErrorHandler(async (err, request, reply) => {
    const body = toErrorBody(err, request);
    if (wantsJson(request.url)) return sendJsonError(reply, body);
    return reply
      .code(body.error.status)
      .type('text/html; charset=utf-8')
      .send(await renderErrorPage(body.error.status, body.error.message));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const message = `Nothing at ${request.url.split('?')[0]}.`;
    if (wantsJson(request.url)) return sendJsonError(reply, { error: { code: 'NOT_FOUND', message, status: 404, problems: [] } });
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(await renderErrorPage(404, message));
  });

  await app.register(async (scope) => healthRoutes(scope, ctx));
  // On the app's port only with a token; METRICS_ADDRESS alone serves it on that address only.
  if (metrics && config.metrics.token !== undefined && config.metrics.address === undefined) metricsRoute(app, metrics, config.metrics.token);
  await app.register(async (scope) => apiV1Routes(scope, ctx));
  await app.register(async (scope) => exportRoutes(scope, ctx));
  await app.register(async (scope) => webRoutes(scope, ctx));
  await app.ready();
  // Sends queued mail over SMTP_URL (or logs each mail kept in the outbox when it is unset).
  const stopMailSender = options.mailSender === false ? async () => {} : startMailSender(db, config, app.log, { clock: ctx.clock });
  const stopReminders = options.mailSender === false ? async () => {} : startReminderTimer(db, config, app.log, { clock: ctx.clock });
  // Posts schedule.changed to the webhooks of events whose version moved on.
  const stopWebhooks =
    options.webhookDispatcher === false
      ? async () => {}
      : startWebhookDispatcher(db, config, app.log, {
          ...(typeof options.webhookDispatcher === 'object' ? options.webhookDispatcher : {}),
          clock: ctx.clock,
          onRound: metrics?.observeWebhooks,
        });
  // Scheduled backups (BACKUP_DIR): one process of those sharing the database takes each turn.
  const stopBackups =
    options.backupTimer === false
      ? async () => {}
      : startBackupTimer(db, config, app.log, { ...(typeof options.backupTimer === 'object' ? options.backupTimer : {}), clock: ctx.clock });

  let closed = false;
  let metricsListener: { close(): Promise<void> } | undefined;
  return {
    app,
    ctx,
    metrics,
    async listenMetrics() {
      if (!metrics || !config.metrics.address || metricsListener) return undefined;
      const listener = await listenForMetrics(metrics, config.metrics, app.log);
      metricsListener = listener;
      return listener.url;
    },
    async close() {
      if (closed) return;
      closed = true;
      await metricsListener?.close();
      await app.close();
      // Optimizer workers stopped; their best proposals so far are written before the database closes.
      await ctx.optimizer.close();
      await ctx.live.stop();
      await stopMailSender();
      await stopReminders();
      await stopWebhooks();
      await stopBackups();
      // API token uses noted by the requests just finished (see api-token-use.ts).
      await writeApiTokenUses(db);
      metrics?.close();
      if (ownsDb) await db.destroy();
    },
  };
}

/**
 * Fastify's request log lines, made one: `request` when the answer is sent (method, route
 * pattern, status, duration; the request id comes with request.log; never the URL, which may
 * carry secret links), and at debug level only `request received` (a request in flight).
 */
class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, route: routeLabel(request) }, 'request received');
  }

  /** Fastify's own "Route … not found" line (with the raw URL): the request line says 404 already. */
  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const line = { method: request.method, route: routeLabel(request), status, durationMs: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else if (status >= 500) reply.log.error(line, 'request');
    else reply.log.info(line, 'request');
  }
}

/** An incoming X-Request-Id is kept when it is 1–128 of these characters (UUIDs, nginx's $request_id, ULIDs…). */
const REQUEST_ID = /^[A-Za-z0-9._:@+=-]{1,128}$/;

function wantsJson(url: string): boolean {
  return url.startsWith('/api/') || url === '/healthz' || url === '/readyz';
}

/**
 * The headers a helmet middleware sets, recorded once from a stand-in request and response.
 * Valid because every option above is fixed at start-up (no per-request CSP nonce); throws when
 * helmet does not finish at once or sets nothing, rather than serving pages without the headers.
 */
function staticSecurityHeaders(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader() {},
  };
  let finished = false;
  middleware({ headers: {} } as never, recorder as never, (err?: unknown) => {
    if (err) throw err as Error;
    finished = true;
  });
  if (!finished || Object.keys(headers).length === 0) throw new Error('helmet: its headers could not be computed once');
  return headers;
}
