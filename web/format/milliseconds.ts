// Milliseconds as the page writes them: the one home for the unit, below everything that shows a time (report,
// timeline, lobby), so none of them imports another for it.

/** A time or duration: whole ms below 10 s, then seconds with one decimal; '—' when unknown. */
export const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/** A round-trip time or jitter, where fractions of a millisecond matter: 2 decimals below 10 ms, then 1. */
export const rttMs = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);
