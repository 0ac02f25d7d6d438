import type { Db } from '../../db/database.js';
import { findEventHead, loadProgramSnapshot, type EventHead } from './snapshot.queries.js';
import type { ProgramSnapshot } from './snapshot.js';
import { ScheduleErrors } from './schedule.errors.js';

/**
 * Keeps the snapshot of the most recently used events, each tagged with the version it was read
 * at. Every request still reads the event's version from the database (one indexed row), so a
 * change made by another process or another server is seen at once: the cache can be stale only
 * for the duration of that one read.
 */
export class SnapshotCache {
  private readonly entries = new Map<number, { version: number; snapshot: Promise<ProgramSnapshot | undefined> }>();

  constructor(
    private readonly db: Db,
    private readonly maxEvents = 16,
  ) {}

  /** The published event's head, or EVENT_NOT_FOUND. Unpublished events are invisible here. */
  async publishedHead(slug: string): Promise<EventHead> {
    const head = await findEventHead(this.db, slug);
    if (!head?.published) throw ScheduleErrors.eventNotFound(slug);
    return head;
  }

  async snapshot(head: EventHead): Promise<ProgramSnapshot> {
    let entry = this.entries.get(head.id);
    if (!entry || entry.version !== head.version) {
      entry = { version: head.version, snapshot: loadProgramSnapshot(this.db, head.id) };
      entry.snapshot.catch(() => this.entries.delete(head.id));
      this.entries.delete(head.id);
      this.entries.set(head.id, entry);
      while (this.entries.size > this.maxEvents) this.entries.delete(this.entries.keys().next().value!);
    }
    const snap = await entry.snapshot;
    if (!snap) throw ScheduleErrors.eventNotFound(head.slug);
    return snap;
  }

  /** Head and snapshot of a published event in one call. */
  async published(slug: string): Promise<ProgramSnapshot> {
    return this.snapshot(await this.publishedHead(slug));
  }

  clear(): void {
    this.entries.clear();
  }
}
