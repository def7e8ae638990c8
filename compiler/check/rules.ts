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

/** Where a rule's head puts it: the group path and its kind. */
export interface HeadShape {
  path: string[];
  kind: RuleKind;
}

/** Shape of a rule head, or an error message for heads the planner cannot place. */
export function headShape(pkg: string[], rule: Rule): HeadShape | string {
  const { ref, args, key } = rule.head;
  const parts: string[] = [...pkg, (ref[0] as { name: string }).name];
  for (let i = 1; i < ref.length; i++) {
    const t = ref[i];
    if (t.type === 'string') {
      parts.push(t.value);
      continue;
    }
    if (i !== ref.length - 1 || args || key) {
      return t.type === 'var' || isGroundScalar(t)
        ? 'rule heads with a variable before the last position are not supported'
        : 'rule head refs must contain strings or, at the last position, a variable';
    }
    return { path: parts, kind: 'object' };
  }
  if (args) return { path: parts, kind: 'function' };
  if (key) return { path: parts, kind: 'set' };
  return { path: parts, kind: 'complete' };
}

function isGroundScalar(t: Term): boolean {
  return t.type === 'number' || t.type === 'boolean' || t.type === 'null';
}

export class RuleTable {
  readonly root = newNode();
  readonly groups: RuleGroup[] = [];

  constructor(private readonly files: SourceFiles, private readonly diagnostics: Diagnostic[]) {}

  addModule(mod: Module): void {
    let pkgNode = this.root;
    for (const p of mod.package) pkgNode = child(pkgNode, p);
    for (const rule of mod.rules) {
      rule.module = mod.file;
      const shape = headShape(mod.package, rule);
      if (typeof shape === 'string') {
        this.error(rule.head.span, 'rego_unsupported_error', shape);
        continue;
      }
      let node = this.root;
      for (const p of shape.path) node = child(node, p);
      const arity = rule.head.args?.length ?? 0;
      let g = node.group;
      if (!g) {
        g = { path: shape.path, kind: shape.kind, arity, rules: [], span: rule.head.span };
        node.group = g;
        this.groups.push(g);
      } else if (g.kind !== shape.kind || g.arity !== arity) {
        this.error(rule.head.span, 'rego_type_error', `conflicting rules data.${shape.path.join('.')} found`);
        continue;
      }
      if (rule.default) {
        if (g.default) this.error(rule.span, 'rego_type_error', `multiple default rules data.${shape.path.join('.')} found`);
        g.default = rule;
      } else {
        g.rules.push(rule);
      }
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
