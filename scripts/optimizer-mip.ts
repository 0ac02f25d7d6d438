/*
 * The exact "attendance" MIP of a unit-slot optimizer instance (research notes §3), for the
 * oracle fixtures (scripts/optimizer-oracles.ts) and the benchmark (bench/optimizer.ts). Dev only:
 * npm `highs` (HiGHS compiled to WebAssembly) is a dev dependency and src/ never imports it.
 *
 * Unit slots: every talk lasts the grain, every room has the same opening, rooms are
 * interchangeable (no allowed-room or seat restrictions). Then
 *   x[t,s] ∈ {0,1}  talk t in slot s (only where its speakers are available; a pin fixes it)
 *   Σ_s x[t,s] = 1,  Σ_t x[t,s] ≤ rooms,  Σ_{t of speaker} x[t,s] ≤ 1
 *   0 ≤ z[p,s] ≤ 1,  z[p,s] ≤ Σ_{t wanted by p} x[t,s]
 *   maximise Σ z  →  missed = preferences − Σ z
 */
import type { OptimizerInstance } from '../src/modules/optimizer/optimizer.js';

export interface SlotModel {
  readonly slots: number[];
  readonly allowed: boolean[][];
}

export function slotModel(instance: OptimizerInstance): SlotModel {
  const d = instance.grainMinutes;
  const open = instance.rooms[0]!.open;
  for (const room of instance.rooms) {
    if (JSON.stringify(room.open) !== JSON.stringify(open)) throw new Error('not a unit-slot instance: rooms open differently');
  }
  for (const t of instance.talks) {
    if (t.durationMinutes !== d) throw new Error(`not a unit-slot instance: ${t.key} lasts ${t.durationMinutes}`);
    if (t.allowedRoomIds !== null || t.minCapacity > 0) throw new Error('not a unit-slot instance: room restrictions');
  }
  const slots: number[] = [];
  for (const o of open) for (let s = Math.ceil(o.start / d) * d; s + d <= o.end; s += d) slots.push(s);
  const allowed = instance.talks.map((t) =>
    slots.map((s) => {
      if (t.pinned) return t.pinned.start === s;
      return t.windows === null || t.windows.some((w) => w.start <= s && s + d <= w.end);
    }),
  );
  return { slots, allowed };
}

/** The MIP in CPLEX LP format. */
export function attendanceLp(instance: OptimizerInstance): string {
  const { slots, allowed } = slotModel(instance);
  const S = slots.length;
  const R = instance.rooms.length;
  const lines: string[] = [];
  const x = (t: number, s: number) => `x_${t}_${s}`;
  const objective: string[] = [];
  const rows: string[] = [];
  const zs: string[] = [];
  instance.voters.forEach((wanted, p) => {
    if (wanted.length < 2) return;
    for (let s = 0; s < S; s++) {
      const terms = wanted.filter((t) => allowed[t]![s]).map((t) => x(t, s));
      if (terms.length === 0) continue;
      const z = `z_${p}_${s}`;
      zs.push(z);
      objective.push(z);
      rows.push(` v${p}_${s}: ${z} - ${terms.join(' - ')} <= 0`);
    }
  });
  instance.talks.forEach((_, t) => {
    const terms = slots.map((_, s) => s).filter((s) => allowed[t]![s]);
    rows.push(` once${t}: ${terms.map((s) => x(t, s)).join(' + ')} = 1`);
  });
  for (let s = 0; s < S; s++) {
    const terms = instance.talks.map((_, t) => t).filter((t) => allowed[t]![s]);
    if (terms.length > R) rows.push(` rooms${s}: ${terms.map((t) => x(t, s)).join(' + ')} <= ${R}`);
  }
  const bySpeaker = new Map<number, number[]>();
  instance.talks.forEach((talk, t) => {
    for (const sp of talk.speakerIds) bySpeaker.set(sp, [...(bySpeaker.get(sp) ?? []), t]);
  });
  for (const [sp, talks] of bySpeaker) {
    if (talks.length < 2) continue;
    for (let s = 0; s < S; s++) {
      const terms = talks.filter((t) => allowed[t]![s]);
      if (terms.length > 1) rows.push(` spk${sp}_${s}: ${terms.map((t) => x(t, s)).join(' + ')} <= 1`);
    }
  }
  lines.push('Maximize', ` obj: ${objective.length ? objective.join(' + ') : '0 x_0_0'}`, 'Subject To', ...rows, 'Bounds');
  for (const z of zs) lines.push(` 0 <= ${z} <= 1`);
  lines.push('Binary');
  instance.talks.forEach((_, t) => {
    for (let s = 0; s < S; s++) if (allowed[t]![s]) lines.push(` ${x(t, s)}`);
  });
  lines.push('End');
  return lines.join('\n');
}

export interface MipResult {
  readonly status: string;
  /** Missed preferences of the best solution found (null: none found). */
  readonly missed: number | null;
  readonly seconds: number;
}

/** Counts preferences as evaluate() does for unit slots: Σ_p Σ_s max(0, n_ps − 1) = preferences − Σ z. */
export async function solveAttendance(instance: OptimizerInstance, timeLimitSeconds: number): Promise<MipResult> {
  // highs ships ESM (build/highs.mjs, default export = the loader) but types written for CommonJS.
  const { default: loadHighs } = (await import('highs')) as unknown as {
    default: () => Promise<{ solve(lp: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number } }>;
  };
  const highs = await loadHighs();
  const lp = attendanceLp(instance);
  const started = performance.now();
  const result = highs.solve(lp, { output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: 0 });
  const seconds = (performance.now() - started) / 1000;
  const preferences = instance.voters.reduce((a, v) => a + (v.length >= 2 ? v.length : 0), 0);
  const hasSolution = result.Status === 'Optimal' || (result.Status === 'Time limit reached' && Number.isFinite(result.ObjectiveValue));
  return { status: result.Status, missed: hasSolution ? Math.round(preferences - result.ObjectiveValue) : null, seconds };
}
