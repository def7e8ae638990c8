// Whether a bundle's policy can read the statement's text (`input.statement.text`), the one field of the facts
// that changes with literal values. When it cannot, the decision cache may serve `WHERE aid = 1` and
// `WHERE aid = 2` from one entry (every other field is still compared). Decided from the bundle's Rego sources,
// conservatively: any reference to `input` that is not a plain path into a field other than the text counts as
// reading it (`input.statement[k]`, `walk(input)`, `import input...`, `with input as ...`).

/** Paths into the input that cannot reach the statement text. */
const SAFE_REFERENCE = /^input\.(?:identity|session|time|columns|value)\b|^input\.statement\.([A-Za-z_][A-Za-z0-9_]*)\b/;

/** False only when every Rego module is known and none can reach input.statement.text. */
export function mayReadStatementText(regoSources: string[]): boolean {
  if (regoSources.length === 0) return true; // nothing to prove it with
  return regoSources.some(readsText);
}

function readsText(source: string): boolean {
  const code = withoutComments(source);
  const reference = /\binput\b/g;
  for (let m = reference.exec(code); m; m = reference.exec(code)) {
    const safe = SAFE_REFERENCE.exec(code.slice(m.index, m.index + 64));
    if (!safe || safe[1] === 'text') return true;
  }
  return false;
}

/** The source without `#` comments; string literals ("..." with escapes, `...` raw) are kept and scanned as code. */
function withoutComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === '`') {
      let j = i + 1;
      // Raw strings may span lines; quoted ones end at the line's end at the latest.
      if (c === '`') while (j < source.length && source[j] !== '`') j++;
      else while (j < source.length && source[j] !== '"' && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
