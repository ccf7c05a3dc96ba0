// Bufferbloat: how much the round-trip time grows while the link is saturated, compared with the idle link.
// Median against median, so one late probe does not decide the grade. Grades follow the scale popularised by
// Waveform's bufferbloat test (added latency under load).
import { median } from './sample-stats';

export type BufferbloatGrade = 'A+' | 'A' | 'B' | 'C' | 'D' | 'F';

/** Upper bounds (exclusive) of added latency in ms for each grade; above the last is F. */
export const BUFFERBLOAT_GRADES: readonly [BufferbloatGrade, number][] = [
  ['A+', 5],
  ['A', 30],
  ['B', 60],
  ['C', 200],
  ['D', 400],
];

export interface BufferbloatResult {
  idleMs: number | null;
  loadedMs: number | null;
  /** loaded - idle, never below 0 (a loaded median a little under the idle one is noise). */
  addedMs: number | null;
  grade: BufferbloatGrade | null;
}

export function gradeFor(addedMs: number): BufferbloatGrade {
  for (const [grade, bound] of BUFFERBLOAT_GRADES) if (addedMs < bound) return grade;
  return 'F';
}

export function bufferbloat(idleRtts: readonly number[], loadedRtts: readonly number[]): BufferbloatResult {
  const idleMs = median(idleRtts);
  const loadedMs = median(loadedRtts);
  if (idleMs === null || loadedMs === null) return { idleMs, loadedMs, addedMs: null, grade: null };
  const addedMs = Math.max(0, loadedMs - idleMs);
  return { idleMs, loadedMs, addedMs, grade: gradeFor(addedMs) };
}
