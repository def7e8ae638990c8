// Tallies verdicts per directory and renders the summary; the last line is always `N passed, N failed`.
import type { ConformanceCase } from './cases.js';
import type { Verdict } from './compare.js';

export interface Failure {
  file: string;
  note: string;
  reason: string;
}

export interface Tally {
  byDir: Map<string, { passed: number; failed: number; skipped: number }>;
  passed: number;
  failed: number;
  skipped: number;
  failures: Failure[];
}

export function newTally(): Tally {
  return { byDir: new Map(), passed: 0, failed: 0, skipped: 0, failures: [] };
}

export function record(t: Tally, c: ConformanceCase, v: Verdict | 'skipped'): void {
  let d = t.byDir.get(c.dir);
  if (!d) t.byDir.set(c.dir, (d = { passed: 0, failed: 0, skipped: 0 }));
  if (v === 'skipped') {
    d.skipped++;
    t.skipped++;
  } else if (v.pass) {
    d.passed++;
    t.passed++;
  } else {
    d.failed++;
    t.failed++;
    t.failures.push({ file: c.file, note: c.note, reason: (v.reason ?? 'failed').replace(/\s*\n\s*/g, ' ').trim() });
  }
}

export function renderSummary(t: Tally): string {
  const lines: string[] = [];
  for (const dir of [...t.byDir.keys()].sort()) {
    const d = t.byDir.get(dir)!;
    const skipped = d.skipped ? `, ${d.skipped} skipped` : '';
    lines.push(`${dir}: ${d.passed} passed, ${d.failed} failed${skipped}`);
  }
  if (t.skipped) lines.push(`(${t.skipped} skipped)`);
  lines.push(`${t.passed} passed, ${t.failed} failed`);
  return lines.join('\n');
}

/** The most common failure reasons, with case-specific details (values, quotes) folded away. */
export function topReasons(t: Tally, limit = 15): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of t.failures) {
    const key = f.reason.replace(/"[^"]*"/g, '"…"').replace(/\[[^\]]*\]|\{[^}]*\}/g, '…').slice(0, 140);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([reason, count]) => ({ reason, count }));
}
