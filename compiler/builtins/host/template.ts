// strings.render_template: the part of Go's text/template that policies use — `{{.a.b}}`, `{{.}}`,
// `{{$var}}`, `{{if X}}…{{else}}…{{end}}`, `{{range [$i, $v :=] X}}…{{end}}`, `{{- trim -}}` markers.
// A missing key prints `<undefined>` as in OPA (Go's "missingkey=default" on a map of interfaces prints <no value>,
// OPA substitutes its own marker). Unsupported actions raise a builtin error naming them.
import { builtinError } from './errors.js';
import { compareStrings, formatNumber, isObject, regoText, type Value } from './values.js';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; expr: string }
  | { kind: 'if'; cond: string; then: Node[]; else: Node[] }
  | { kind: 'range'; vars: string[]; expr: string; body: Node[]; else: Node[] };

const UNDEFINED = Symbol('undefined');
type Scope = { dot: Value | typeof UNDEFINED; vars: Map<string, Value | typeof UNDEFINED> };

export function renderTemplate(template: string, vars: Record<string, Value>): string {
  const tokens = tokenize(template);
  let pos = 0;
  const parse = (stop: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const action = t.text;
      const word = action.split(/\s+/)[0];
      if (stop.includes(word)) return { nodes, end: word };
      if (word === 'if') {
        const then = parse(['else', 'end']);
        const other = then.end === 'else' ? parse(['end']).nodes : [];
        nodes.push({ kind: 'if', cond: action.slice(2).trim(), then: then.nodes, else: other });
      } else if (word === 'range') {
        const m = /^range\s+(?:(\$\w*)(?:\s*,\s*(\$\w*))?\s*:=\s*)?(.+)$/.exec(action);
        if (!m) throw builtinError(`template: bad range: ${action}`);
        const body = parse(['else', 'end']);
        const other = body.end === 'else' ? parse(['end']).nodes : [];
        nodes.push({ kind: 'range', vars: [m[1], m[2]].filter(Boolean) as string[], expr: m[3].trim(), body: body.nodes, else: other });
      } else if (['end', 'else', 'with', 'define', 'template', 'block'].includes(word)) {
        throw builtinError(`template: unsupported action {{${action}}}`);
      } else {
        nodes.push({ kind: 'print', expr: action });
      }
    }
    if (stop.length) throw builtinError('template: unexpected EOF');
    return { nodes, end: '' };
  };
  const tree = parse([]).nodes;
  return run(tree, { dot: vars, vars: new Map([['$', vars]]) });
}

function tokenize(src: string): { kind: 'text' | 'action'; text: string }[] {
  const out: { kind: 'text' | 'action'; text: string }[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    const close = src.indexOf('}}', open + 2);
    if (close < 0) throw builtinError('template: unclosed action');
    let action = src.slice(open + 2, close);
    if (action.startsWith('- ')) {
      text = text.replace(/\s+$/, '');
      action = action.slice(1);
    }
    let next = close + 2;
    if (action.endsWith(' -')) {
      action = action.slice(0, -1);
      const rest = /^\s*/.exec(src.slice(next));
      next += rest ? rest[0].length : 0;
    }
    if (text) out.push({ kind: 'text', text });
    const trimmed = action.trim();
    if (!trimmed.startsWith('/*')) out.push({ kind: 'action', text: trimmed });
    i = next;
  }
  return out;
}

function run(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'print') out += show(evaluate(n.expr, scope));
    else if (n.kind === 'if') out += run(truthy(evaluate(n.cond, scope)) ? n.then : n.else, scope);
    else {
      const coll = evaluate(n.expr, scope);
      const entries: [Value, Value][] = Array.isArray(coll)
        ? coll.map((v, i) => [i, v])
        : isObject(coll)
          ? Object.keys(coll)
              .sort(compareStrings)
              .map((k) => [k, coll[k]])
          : [];
      if (entries.length === 0) {
        out += run(n.else, scope);
        continue;
      }
      for (const [k, v] of entries) {
        const vars = new Map(scope.vars);
        if (n.vars.length === 1) vars.set(n.vars[0], v);
        if (n.vars.length === 2) {
          vars.set(n.vars[0], k);
          vars.set(n.vars[1], v);
        }
        out += run(n.body, { dot: v, vars });
      }
    }
  }
  return out;
}

function evaluate(expr: string, scope: Scope): Value | typeof UNDEFINED {
  const e = expr.trim();
  if (e === '.') return scope.dot;
  const m = /^(\$\w*)?((?:\.[A-Za-z_0-9]+)*)$/.exec(e);
  if (!m) throw builtinError(`template: unsupported expression ${e}`);
  let v: Value | typeof UNDEFINED = m[1] !== undefined ? (scope.vars.get(m[1]) ?? UNDEFINED) : scope.dot;
  if (m[1] !== undefined && !scope.vars.has(m[1])) throw builtinError(`template: undefined variable "${m[1]}"`);
  for (const key of m[2].split('.').filter(Boolean)) {
    v = v !== UNDEFINED && isObject(v) && key in v ? v[key] : UNDEFINED;
  }
  return v;
}

function truthy(v: Value | typeof UNDEFINED): boolean {
  if (v === UNDEFINED || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

function show(v: Value | typeof UNDEFINED): string {
  if (v === UNDEFINED) return '<undefined>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map((x) => show(x)).join(' ')}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort(compareStrings).map((k) => `${k}:${show(v[k])}`).join(' ')}]`;
  return regoText(v);
}
