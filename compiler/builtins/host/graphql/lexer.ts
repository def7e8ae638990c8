// GraphQL lexer (October 2021 spec) with the token descriptions and 1-based line:column locations that the
// gqlparser library OPA uses puts into its messages (`Expected Name, found <EOF>`).
import { builtinError } from '../errors.js';

export type Kind = 'Name' | 'Int' | 'Float' | 'String' | 'BlockString' | 'Punct' | 'EOF';

export interface Token {
  kind: Kind;
  /** Punctuator text, name, number text, or the string's processed value. */
  value: string;
  line: number;
  col: number;
}

/** How gqlparser names a token in messages. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return '<EOF>';
    case 'Punct':
      return t.value;
    case 'BlockString':
      return `BlockString ${JSON.stringify(t.value)}`;
    default:
      return `${t.kind} ${JSON.stringify(t.value)}`;
  }
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

export function tokenize(src: string): Token[] {
  const chars = [...src];
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const col = (at: number): number => at - lineStart + 1;
  const fail = (message: string, at: number): never => {
    throw new GraphQLSyntaxError(message, line, col(at));
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === '\n' || c === '\r') {
      if (c === '\r' && chars[i + 1] === '\n') i++;
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === ',' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < chars.length && chars[i] !== '\n' && chars[i] !== '\r') i++;
      continue;
    }
    const start = i;
    const tok = (kind: Kind, value: string): void => {
      out.push({ kind, value, line, col: col(start) });
    };
    if (c === '.') {
      if (chars[i + 1] === '.' && chars[i + 2] === '.') {
        tok('Punct', '...');
        i += 3;
        continue;
      }
      fail(`Unexpected .`, i);
    }
    if ('!$&()[]{}:=@|'.includes(c)) {
      tok('Punct', c);
      i++;
      continue;
    }
    if (/[_A-Za-z]/.test(c)) {
      let j = i;
      while (j < chars.length && /[_0-9A-Za-z]/.test(chars[j])) j++;
      tok('Name', chars.slice(i, j).join(''));
      i = j;
      continue;
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(chars.slice(i, i + 64).join(''));
      if (!m) fail(`Invalid number, expected digit but got: ${JSON.stringify(chars[i + 1] ?? '<EOF>')}.`, i);
      tok(m![2] || m![3] ? 'Float' : 'Int', m![0]);
      i += m![0].length;
      continue;
    }
    if (c === '"') {
      if (chars[i + 1] === '"' && chars[i + 2] === '"') {
        let j = i + 3;
        let raw = '';
        const startLine = line;
        const startCol = col(start);
        while (j < chars.length && !(chars[j] === '"' && chars[j + 1] === '"' && chars[j + 2] === '"')) {
          if (chars[j] === '\\' && chars[j + 1] === '"' && chars[j + 2] === '"' && chars[j + 3] === '"') {
            raw += '"""';
            j += 4;
            continue;
          }
          if (chars[j] === '\n') {
            line++;
            lineStart = j + 1;
          }
          raw += chars[j++];
        }
        if (j >= chars.length) fail('Unterminated string.', j);
        out.push({ kind: 'BlockString', value: blockValue(raw), line: startLine, col: startCol });
        i = j + 3;
        continue;
      }
      let j = i + 1;
      let value = '';
      while (j < chars.length && chars[j] !== '"') {
        if (chars[j] === '\n' || chars[j] === '\r') fail('Unterminated string.', j);
        if (chars[j] === '\\') {
          const e = chars[j + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) {
            value += simple[e];
            j += 2;
          } else if (e === 'u') {
            const hex = chars.slice(j + 2, j + 6).join('');
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`Invalid character escape sequence: \\u${hex}.`, j);
            value += String.fromCharCode(parseInt(hex, 16));
            j += 6;
          } else fail(`Invalid character escape sequence: \\${e}.`, j);
          continue;
        }
        value += chars[j++];
      }
      if (j >= chars.length) fail('Unterminated string.', j);
      tok('String', value);
      i = j + 1;
      continue;
    }
    fail(`Unexpected ${c}`, i);
  }
  out.push({ kind: 'EOF', value: '', line, col: col(i) });
  return out;
}

/** The spec's BlockStringValue: common indentation and blank first/last lines removed. */
function blockValue(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  let common: number | undefined;
  for (const l of lines.slice(1)) {
    const indent = /^[ \t]*/.exec(l)![0].length;
    if (indent < l.length && (common === undefined || indent < common)) common = indent;
  }
  const out = lines.map((l, k) => (k > 0 && common !== undefined ? l.slice(common) : l));
  while (out.length && /^[ \t]*$/.test(out[0])) out.shift();
  while (out.length && /^[ \t]*$/.test(out[out.length - 1])) out.pop();
  return out.join('\n');
}

export function toBuiltinError(err: unknown): Error {
  if (err instanceof GraphQLSyntaxError) return builtinError(`${err.message} in GraphQL string at location ${err.line}:${err.col}`);
  return err as Error;
}
