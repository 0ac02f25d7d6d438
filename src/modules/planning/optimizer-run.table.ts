import type { Generated, Selectable } from 'kysely';

/* Row type of the optimizer's runs (migration 2026-12-08T0500-create-optimizer-runs). */

/** running | done | stopped | failed | accepted | discarded */
export type OptimizerRunStatus = 'running' | 'done' | 'stopped' | 'failed' | 'accepted' | 'discarded';

export interface OptimizerRunTable {
  id: Generated<number>;
  event_id: number;
  /** 1, 2, … per event. */
  number: number;
  created_by: number | null;
  created_by_label: Generated<string>;
  status: string;
  /** The process running it (a random token per process). */
  owner: Generated<string>;
  stop_requested: Generated<number>;
  /** The event's version when it started. */
  base_version: number;
  /** The draft's fingerprint when it started (accept compares). */
  fingerprint: string;
  /** JSON: ProposeOptions. */
  options: string;
  /** JSON: RunSummary (rooms and talks as the run saw them). */
  summary: string;
  /** JSON: the current draft's score and explanation when it started. */
  baseline: string;
  /** JSON: the last Progress. */
  progress: string | null;
  /** JSON: the Proposal. */
  proposal: string | null;
  /** Why it failed, or a note. */
  message: Generated<string>;
  created_at: string;
  heartbeat_at: string;
  finished_at: string | null;
  decided_at: string | null;
}

export type OptimizerRunRow = Selectable<OptimizerRunTable>;
