import { createHash } from 'node:crypto';
import type { ProgramSnapshot, Track } from '../../modules/schedule/snapshot.js';

/**
 * Stylesheets generated instead of inline styles, which the CSP (style-src 'self') forbids.
 *
 * - GRID_CSS, made once at startup: placement classes for the schedule grid. Rows are 5-minute
 *   steps (gr<n> start row, gs<n> row span, up to 300 = 25 hours); columns are the time column
 *   plus one per room (gc<n> start column, gw<n> column span, gcols<n> a template of n rooms,
 *   up to 100 rooms).
 * - eventThemeCss(snapshot): one class per track carrying its colour as custom properties.
 */
export const GRID_MAX_ROWS = 300;
export const GRID_MAX_ROOMS = 100;

function buildGridCss(): string {
  const parts: string[] = ['/* Hallway schedule grid placement, generated at startup. */\n'];
  for (let n = 1; n <= GRID_MAX_ROWS; n++) parts.push(`.gr${n}{grid-row-start:${n}}.gs${n}{grid-row-end:span ${n}}\n`);
  for (let n = 1; n <= GRID_MAX_ROOMS + 1; n++) parts.push(`.gc${n}{grid-column-start:${n}}.gw${n}{grid-column-end:span ${n}}\n`);
  for (let n = 1; n <= GRID_MAX_ROOMS; n++) {
    parts.push(`.gcols${n}{grid-template-columns:var(--time-col) repeat(${n},minmax(var(--room-col),1fr))}\n`);
  }
  return parts.join('');
}

export const GRID_CSS = buildGridCss();
const GRID_CSS_HASH = createHash('sha1').update(GRID_CSS).digest('base64url').slice(0, 16);
export const GRID_CSS_ETAG = `"${GRID_CSS_HASH}"`;
/** The stylesheet's URL, versioned by content so a new release is fetched at once. */
export const GRID_CSS_URL = `/assets/grid.css?v=${GRID_CSS_HASH}`;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HEX = /^#[0-9a-fA-F]{6}$/;

/** The CSS class of a track: `tk-<slug>`, or `tk-<id>` for a slug that is not a safe class name. */
export function trackClass(track: Pick<Track, 'id' | 'slug'>): string {
  return SLUG.test(track.slug) && track.slug.length <= 60 ? `tk-${track.slug}` : `tk-${track.id}`;
}

/** `hex` mixed with white; `amount` 0..1 is how much white. */
function tint(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c: number) =>
    Math.round(c + (255 - c) * amount)
      .toString(16)
      .padStart(2, '0');
  return `#${mix((n >> 16) & 255)}${mix((n >> 8) & 255)}${mix(n & 255)}`;
}

/**
 * Track colours of one event: `--track` (the colour itself, for stripes and dots) and `--track-bg`
 * (a pale tint that keeps dark text above 4.5:1). Colours that are not #rrggbb are skipped, so no
 * stored value can break out of the declaration.
 */
export function eventThemeCss(snapshot: Pick<ProgramSnapshot, 'tracks' | 'event'>): string {
  const out: string[] = [`/* Track colours, event version ${snapshot.event.version} */\n`];
  for (const t of snapshot.tracks) {
    if (!HEX.test(t.color)) continue;
    out.push(`.${trackClass(t)}{--track:${t.color};--track-bg:${tint(t.color, 0.88)}}\n`);
  }
  return out.join('');
}
