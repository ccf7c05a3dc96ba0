import { describe, expect, it } from 'vitest';
import { reportSchema } from './report-schema';
import { fullReport } from './testdata/full-report';
import { sampleReport } from './testdata/sample-report';

type Path = (string | number)[];

/** Paths to every string and every array in a JSON value. */
function leaves(v: unknown, path: Path = [], out: { strings: Path[]; arrays: Path[] } = { strings: [], arrays: [] }) {
  if (typeof v === 'string') out.strings.push(path);
  else if (Array.isArray(v)) {
    out.arrays.push(path);
    v.forEach((x, i) => leaves(x, [...path, i], out));
  } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
}

describe('report schema', () => {
  it('keeps everything the page writes: a report with every optional part filled comes through unchanged', () => {
    const full = JSON.parse(JSON.stringify(fullReport())) as unknown;
    const parsed = reportSchema.safeParse(full);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(full);
  });

  it('drops fields it does not know, at every level (nothing unchecked is stored)', () => {
    const r = JSON.parse(JSON.stringify(fullReport())) as Record<string, any>;
    r.zzUnknownBlob = 'x'.repeat(400_000);
    r.localCandidates[0].zzUnknownExtra = { nested: 'y'.repeat(1000) };
    r.diagnosis.local.verdict.zzUnknownInjected = 'z';
    r.quality.upload.series[0].zzUnknownMore = 1;
    const parsed = reportSchema.parse(r);
    expect(JSON.stringify(parsed)).not.toMatch(/zzUnknown|xxxx/);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(fullReport())));
  });

  it('bounds every string and every array (each one of the full report, made huge, is refused)', () => {
    const base = JSON.parse(JSON.stringify(fullReport())) as unknown;
    const { strings, arrays } = leaves(base);
    expect(strings.length).toBeGreaterThan(100);
    const unbounded: string[] = [];
    for (const p of strings) {
      const r = structuredClone(base);
      setAt(r, p, 'x'.repeat(100_000));
      if (reportSchema.safeParse(r).success) unbounded.push(p.join('.'));
    }
    for (const p of arrays) {
      const r = structuredClone(base) as Record<string, unknown>;
      const arr = p.reduce<any>((o, k) => o[k], r) as unknown[];
      if (arr.length === 0) continue;
      setAt(r, p, Array.from({ length: 10_001 }, () => arr[0]));
      if (reportSchema.safeParse(r).success) unbounded.push(`${p.join('.')}[]`);
    }
    expect(unbounded).toEqual([]);
  });

  it('rejects what is not a report, naming the field', () => {
    const r = sampleReport();
    // [input, the path its first issue names (what POST /api/reports says after 'at report.'), exact or a prefix]
    const bad: [unknown, (string | number)[], 'exact' | 'prefix'][] = [
      [{ ...r, version: 2 }, ['version'], 'exact'],
      [{ ...r, localCandidates: [{ ...r.localCandidates[0], type: 'weird' }] }, ['localCandidates', 0, 'type'], 'exact'],
      [{ ...r, roomId: 'x'.repeat(100) }, ['roomId'], 'exact'],
      [{ ...r, rtt: { ...r.rtt, samples: Array.from({ length: 6000 }, () => ({ at: 1, rtt: 1 })) } }, ['rtt', 'samples'], 'exact'],
      [{ ...r, quality: { version: 1 } }, ['quality'], 'prefix'],
      [{ ...r, diagnosis: { local: { version: 1 }, remote: null, prediction: null } }, ['diagnosis', 'local'], 'prefix'],
      [null, [], 'exact'],
      ['report', [], 'exact'],
    ];
    for (const [input, field, match] of bad) {
      const parsed = reportSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      const path = parsed.error?.issues[0]?.path ?? null;
      expect(match === 'prefix' ? path?.slice(0, field.length) : path).toEqual(field);
      if (match === 'prefix') expect(path!.length).toBeGreaterThan(field.length);
    }
  });
});
