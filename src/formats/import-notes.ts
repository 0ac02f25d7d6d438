import type { Problem } from '../lib/domain-error.js';

/**
 * Collects what a lenient import accepted or repaired, one line per kind of thing rather than one
 * per occurrence: "617 events … (day[1]/room[…]/event[3] and 616 more)". A 1,300-event file
 * with the same quirk everywhere then gives a readable summary, with the first place to look.
 */
export class ImportNotes {
  private readonly groups = new Map<string, { message: (n: number) => string; paths: string[]; count: number }>();

  note(key: string, path: string, message: (count: number) => string): void {
    const g = this.groups.get(key);
    if (g) {
      g.count++;
      if (g.paths.length < 1) g.paths.push(path);
    } else this.groups.set(key, { message, paths: [path], count: 1 });
  }

  list(): Problem[] {
    return [...this.groups.values()].map((g) => ({
      path: g.count > 1 ? `${g.paths[0]} and ${g.count - 1} more` : g.paths[0]!,
      message: g.message(g.count),
    }));
  }
}

/** "1 event" / "3 events". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
