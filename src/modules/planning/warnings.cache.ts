import type { Db } from '../../db/database.js';
import { audienceKey, eventHead, loadPlanningInput } from './planning.queries.js';
import { WarningIndex, type PlanSession, type TimeWindow } from './warnings.js';

/*
 * The warning indexes of recently edited events, each tagged with the events.version and the
 * audience fingerprint (stars, sign-ups) it was built from. A read costs the version row and the
 * fingerprint; the index is rebuilt only when either moved on in a way this process did not
 * apply itself (another process wrote, a form changed a session, people starred). A move made in
 * this process is applied to the index as a delta (`applied`): only the moved session's warnings
 * are computed again, which is what keeps a move within a few milliseconds on a 960-session event.
 *
 * The tag is the version read before the build's queries, so an index can only be older than its
 * tag says, never newer: a write that lands during a build makes the next read rebuild.
 */

interface Entry {
  version: number;
  audience: string;
  readonly index: WarningIndex;
}

/** What a move changed, for the index: the sessions as now stored, and speakers it may not know. */
export interface PlanningDelta {
  readonly sessions: readonly PlanSession[];
  readonly speakers: ReadonlyArray<{ readonly id: number; readonly name: string; readonly windows: readonly TimeWindow[] }>;
}

export class WarningsCache {
  private readonly entries = new Map<number, Entry>();
  private readonly building = new Map<string, Promise<Entry>>();

  constructor(private readonly maxEvents = 16) {}

  /** The event's warning index as of its current version, or undefined when there is no such event. */
  async current(db: Db, eventId: number): Promise<{ version: number; index: WarningIndex } | undefined> {
    const [head, audience] = await Promise.all([eventHead(db, eventId), audienceKey(db, eventId)]);
    if (!head) return undefined;
    const hit = this.entries.get(eventId);
    if (hit && hit.version === head.version && hit.audience === audience) {
      // Most recently used last, for the eviction below.
      this.entries.delete(eventId);
      this.entries.set(eventId, hit);
      return hit;
    }
    const key = `${eventId}:${head.version}:${audience}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = (async () => {
        const input = await loadPlanningInput(db, eventId, head.timeZone);
        return { version: head.version, audience, index: new WarningIndex(input.world, input.sessions) };
      })();
      this.building.set(key, pending);
      pending.then(
        (entry) => {
          this.building.delete(key);
          const now = this.entries.get(eventId);
          if (!now || now.version <= entry.version) this.store(eventId, entry);
        },
        () => this.building.delete(key),
      );
    }
    return pending;
  }

  /**
   * A move of this process committed, taking the event from `from` to `to`: applied to the index
   * when the index is exactly at `from`; otherwise the next read rebuilds it.
   */
  applied(eventId: number, from: number, to: number, delta: PlanningDelta): void {
    const entry = this.entries.get(eventId);
    if (!entry || entry.version !== from) return;
    for (const sp of delta.speakers) if (!entry.index.world.speakers.has(sp.id)) entry.index.addSpeaker(sp.id, sp);
    for (const s of delta.sessions) entry.index.upsert(s);
    entry.version = to;
  }

  /** The event's index if this process holds it at exactly `version` (after its own move), without a query. */
  at(eventId: number, version: number): WarningIndex | undefined {
    const entry = this.entries.get(eventId);
    return entry?.version === version ? entry.index : undefined;
  }

  /** Forgets every index (tests, and the benchmark's cold runs). */
  clear(): void {
    this.entries.clear();
  }

  private store(eventId: number, entry: Entry): void {
    this.entries.delete(eventId);
    this.entries.set(eventId, entry);
    while (this.entries.size > this.maxEvents) this.entries.delete(this.entries.keys().next().value!);
  }
}
