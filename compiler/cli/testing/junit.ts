// JUnit XML for CI systems: one <testsuite> per test file (a `*.test.yaml` or a Rego module with `test_*` rules),
// one <testcase> per case, a <failure> carrying the mismatch text.
export interface CaseResult {
  name: string;
  /** The file the case belongs to; becomes its suite. */
  file: string;
  line: number;
  /** Empty when the case passed. */
  problems: string[];
  seconds: number;
}

export function junitXml(results: CaseResult[]): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = suites.get(r.file) ?? [];
    list.push(r);
    suites.set(r.file, list);
  }
  const failures = results.filter((r) => r.problems.length).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="verdict test" tests="${results.length}" failures="${failures}" errors="0" time="${seconds(results)}">`];
  for (const [file, cases] of suites) {
    const failed = cases.filter((c) => c.problems.length).length;
    lines.push(`  <testsuite name="${escapeXml(file)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(cases)}">`);
    for (const c of cases) {
      const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(file)}" file="${escapeXml(file)}" line="${c.line}" time="${c.seconds.toFixed(3)}"`;
      if (!c.problems.length) {
        lines.push(`${open}/>`);
        continue;
      }
      const text = c.problems.join('\n');
      lines.push(`${open}>`, `      <failure message="${escapeXml(c.problems[0])}" type="mismatch">${escapeXml(text)}</failure>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

function seconds(cases: CaseResult[]): string {
  return cases.reduce((sum, c) => sum + c.seconds, 0).toFixed(3);
}

/**
 * Escapes text for an attribute or element. Characters XML 1.0 cannot carry at all (most C0 controls, lone
 * surrogates, U+FFFE/FFFF) become U+FFFD so the document stays well-formed whatever a case name holds.
 */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
