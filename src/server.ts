import type { Config } from './config.js';
import { buildApp, type HallwayApp } from './app.js';
import { firstStartAdminLink } from './modules/accounts/admin.actions.js';

/**
 * Listens on config.port (on an instance without accounts, logs the first administrator's /setup
 * link) and shuts down gracefully on SIGTERM/SIGINT: the listener closes, in-flight
 * requests finish (up to SHUTDOWN_TIMEOUT_MS), then the database is closed and the process exits.
 */
export async function startServer(config: Config, beforeListen?: (h: HallwayApp) => Promise<void>): Promise<HallwayApp> {
  const hallway = await buildApp(config);
  if (beforeListen) await beforeListen(hallway);
  const log = hallway.app.log;
  // An instance without any account prints a one-time /setup link for its first administrator.
  const setupLink = await firstStartAdminLink(hallway.ctx.db, config);
  if (setupLink) log.warn({ setupUrl: setupLink }, `No account yet: open ${setupLink} to create the first administrator (works once, for 24 hours)`);
  await hallway.app.listen({ port: config.port, host: config.host });
  const metricsUrl = await hallway.listenMetrics();
  if (metricsUrl) log.info({ metricsUrl }, `metrics served at ${metricsUrl}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    hallway
      .close()
      .then(() => {
        log.info('shut down cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return hallway;
}
