// The rule table: rules grouped by the document path they define, in a tree keyed by path segments, with
// each group's kind checked for conflicts as OPA's type checker does.
import type { Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Module, Rule, Term } from '../syntax/ast.js';

export type RuleKind = 'complete' | 'set' | 'object' | 'function';

export interface RuleGroup {
  /** Document path without `data`, e.g. ['verdict', 'statement', 'allow']. */
  path: string[];
  kind: RuleKind;
  /** Number of parameters (functions only). */
  arity: number;
  /** Definitions in source order, each possibly with an `else` chain. */
  rules: Rule[];
  default?: Rule;
  span: Span;
}

export interface RuleNode {
  children: Map<string, RuleNode>;
  group?: RuleGroup;
}

export function newNode(): RuleNode {
  return { children: new Map() };
}

/** Where a rule's head puts it: the ground part of its ref, the rest (variable keys and after), its kind. */
export interface HeadShape {
  path: string[];
  rest: Term[];
  kind: RuleKind;
}

/** Shape of a rule head, or an error message for heads the planner cannot place. */
export function headShape(pkg: string[], rule: Rule): HeadShape | string {
  const { ref, args, key } = rule.head;
  const path: string[] = [...pkg, (ref[0] as { name: string }).name];
  let i = 1;
  for (; i < ref.length && ref[i].type === 'string'; i++) path.push((ref[i] as { value: string }).value);
  const rest = ref.slice(i);
  if (rest.length > 0 && args) return 'functions with variables in their rule head ref';
  if (args) return { path, rest, kind: 'function' };
  // `p[x] contains y`: a set inside an object document.
  if (key) return { path, rest, kind: rest.length > 0 ? 'object' : 'set' };
  return { path, rest, kind: rest.length > 0 ? 'object' : 'complete' };
}

export class RuleTable {
  readonly root = newNode();
  readonly groups: RuleGroup[] = [];

  constructor(private readonly files: SourceFiles, private readonly diagnostics: Diagnostic[]) {}

  /**
   * Adds the rules of all modules. A rule with variables in its head ref (`p[k] := v`, `p[x][y] := v`) makes
   * its ground prefix an object document built by one function; rules below that prefix (`p.q := 1`) join it
   * as entries with constant keys, as OPA 1.x plans general rule head refs.
   */
  addModules(mods: Module[]): void {
    // Packages without rules still exist as (empty) documents.
    for (const mod of mods) {
      let node = this.root;
      for (const p of mod.package) node = child(node, p);
    }
    const shaped: { rule: Rule; shape: HeadShape }[] = [];
    for (const mod of mods) {
      for (const rule of mod.rules) {
        rule.module = mod.file;
        const shape = headShape(mod.package, rule);
        if (typeof shape === 'string') this.error(rule.head.span, 'rego_unsupported_error', `${shape} are not supported`);
        else shaped.push({ rule, shape });
      }
    }
    const anchors = new Set(shaped.filter((x) => x.shape.kind === 'object').map((x) => x.shape.path.join('\u0000')));
    const pkgLength = new Map<Rule, number>();
    for (const mod of mods) for (const r of mod.rules) pkgLength.set(r, mod.package.length);
    const anchorOf = (path: string[]): number => {
      for (let n = 1; n <= path.length; n++) if (anchors.has(path.slice(0, n).join('\u0000'))) return n;
      return -1;
    };
    for (const { rule, shape } of shaped) {
      const n = anchorOf(shape.path);
      if (n < 0) {
        this.place(rule, shape.path, shape.kind, undefined);
        continue;
      }
      const keyStart = n - (pkgLength.get(rule) ?? 0);
      const noKeys = keyStart >= rule.head.ref.length;
      if (shape.kind === 'function' || rule.default || (noKeys && !rule.head.key) || (noKeys && shape.path.length === n)) {
        this.error(rule.head.span, 'rego_type_error', `conflicting rules data.${shape.path.slice(0, n).join('.')} found`);
        continue;
      }
      this.place(rule, shape.path.slice(0, n), 'object', keyStart);
    }
  }

  private place(rule: Rule, path: string[], kind: RuleKind, keyStart: number | undefined): void {
    if (rule.else && (kind === 'set' || kind === 'object')) {
      this.error(rule.else.span, 'rego_type_error', `else keyword cannot be used on multi-value rules (data.${path.join('.')})`);
      return;
    }
    let node = this.root;
    for (const p of path) node = child(node, p);
    const arity = rule.head.args?.length ?? 0;
    let g = node.group;
    if (!g) {
      g = { path, kind, arity, rules: [], span: rule.head.span };
      node.group = g;
      this.groups.push(g);
    } else if (g.kind !== kind || g.arity !== arity) {
      this.error(rule.head.span, 'rego_type_error', `conflicting rules data.${path.join('.')} found`);
      return;
    }
    if (keyStart !== undefined) for (let r: Rule | undefined = rule; r; r = r.else) r.keyStart = keyStart;
    if (rule.default) {
      if (g.default) this.error(rule.span, 'rego_type_error', `multiple default rules data.${path.join('.')} found`);
      g.default = rule;
    } else {
      g.rules.push(rule);
    }
  }

  /** A rule whose document is a value cannot also have rules below it (`p := 1` and `p.q := 2`). */
  checkPrefixes(): void {
    const visit = (node: RuleNode): void => {
      if (node.group && node.children.size > 0) {
        const below = [...descendants(node)].map((g) => `data.${g.path.join('.')}`);
        if (below.length > 0) {
          this.error(node.group.span, 'rego_type_error', `rule data.${node.group.path.join('.')} conflicts with [${below.join(' ')}]`);
        }
      }
      for (const c of node.children.values()) visit(c);
    };
    visit(this.root);
  }

  /** The node at `path`, or undefined. */
  lookup(path: string[]): RuleNode | undefined {
    let node: RuleNode | undefined = this.root;
    for (const p of path) node = node?.children.get(p);
    return node;
  }

  private error(span: Span, code: string, message: string): void {
    this.diagnostics.push({ code, message, position: this.files.position(span) });
  }
}

function child(node: RuleNode, key: string): RuleNode {
  let c = node.children.get(key);
  if (!c) {
    c = newNode();
    node.children.set(key, c);
  }
  return c;
}

/** Every group at or below `node`, excluding the node's own group. */
export function* descendants(node: RuleNode): Generator<RuleGroup> {
  for (const c of node.children.values()) {
    if (c.group) yield c.group;
    yield* descendants(c);
  }
}

/** Every group at or below `node`. */
export function* groupsUnder(node: RuleNode): Generator<RuleGroup> {
  if (node.group) yield node.group;
  yield* descendants(node);
}
