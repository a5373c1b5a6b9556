/*
 * The rules of verified patrol, shared by the engine (which judges) and the
 * views (which state the definitions next to the figures).
 */

/** A visit: an on-patrol staff member inside one grid for at least this long, on a track the checks do not doubt. */
export const VISIT_MINUTES = 5;
/** Days of track the console keeps and judges. */
export const TRACK_DAYS = 7;
/** A gap longer than this between two on-patrol fixes ends a shift. */
export const SHIFT_GAP_MINUTES = 20;
/** A shift needs this many fixes over this many minutes before it can be judged at all. */
export const MIN_SHIFT_FIXES = 20;
export const MIN_SHIFT_MINUTES = 30;
