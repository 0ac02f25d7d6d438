/**
 * The one clock of the app. buildApp is given one (BuildOptions.clock, default systemClock) and
 * carries it in AppContext; modules, pages and background jobs ask it for "now" instead of calling
 * `new Date()` themselves, so tests can set the date (fixedClock) and never depend on today's.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** The current instant in storage form (`YYYY-MM-DDTHH:MM:SSZ`, UTC, second precision). */
  instant(): string;
}

/** A clock a test sets and moves explicitly; it never moves on its own. */
export interface SettableClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Storage form of an instant: UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ` (sorts as text). */
export function storedInstant(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The real time. */
export const systemClock: Clock = {
  now: () => new Date(),
  instant: () => storedInstant(new Date()),
};

/** A clock stopped at `at` (a Date or ISO text) until set or advanced. */
export function fixedClock(at: Date | string): SettableClock {
  let ms = toMs(at);
  return {
    now: () => new Date(ms),
    instant: () => storedInstant(new Date(ms)),
    set(next) {
      ms = toMs(next);
    },
    advance(delta) {
      ms += delta;
    },
  };
}

function toMs(at: Date | string): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new Error(`fixedClock: not an instant: ${String(at)}`);
  return ms;
}
