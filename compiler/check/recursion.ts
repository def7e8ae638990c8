// Recursion check: a rule group may not depend on itself through data refs or function calls.
import type { Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles } from '../diagnostics/location.js';
import type { Term } from '../syntax/ast.js';
import { groupsUnder, type RuleGroup, type RuleNode, type RuleTable } from './rules.js';
import { visitRule } from './walk.js';

/** Groups that a data ref may read: the group it reaches, or every group under the node it stops at. */
export function groupsReferenced(root: RuleNode, path: (string | null | undefined)[]): RuleGroup[] {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (node.group) return [node.group];
    // A variable key may be any child: keep those the rest of the ref can still reach.
    if (key === undefined) return [...node.children.values()].flatMap((c) => groupsReferenced(c, path.slice(i + 1)));
    if (key === null) return [];
    const next = node.children.get(key);
    if (!next) return [];
    node = next;
  }
  return [...groupsUnder(node)];
}

/**
 * The ref's path below `data`: strings, undefined for keys known only at run time, null for constant keys
 * that no rule path can have (numbers, booleans…). Undefined when the term is not a data ref.
 */
export function dataPath(t: Term): (string | null | undefined)[] | undefined {
  if (t.type === 'ref' && t.head.type === 'var' && t.head.name === 'data') {
    return t.path.map((k) => (k.type === 'string' ? k.value : k.type === 'number' || k.type === 'boolean' || k.type === 'null' ? null : undefined));
  }
  if (t.type === 'var' && t.name === 'data') return [];
  if (t.type === 'call' && t.name.startsWith('data.')) return t.name.split('.').slice(1);
  return undefined;
}

export function checkRecursion(table: RuleTable, files: SourceFiles, diagnostics: Diagnostic[]): void {
  const edges = new Map<RuleGroup, Set<RuleGroup>>();
  for (const g of table.groups) {
    const deps = new Set<RuleGroup>();
    const onTerm = (t: Term): void => {
      const path = dataPath(t);
      if (path) for (const d of groupsReferenced(table.root, path)) deps.add(d);
    };
    for (const r of [...g.rules, ...(g.default ? [g.default] : [])]) {
      visitRule(r, onTerm, (e) => {
        if (e.body.kind === 'call' && e.body.name.startsWith('data.')) {
          for (const d of groupsReferenced(table.root, e.body.name.split('.').slice(1))) deps.add(d);
        }
      });
    }
    edges.set(g, deps);
  }
  const state = new Map<RuleGroup, 'active' | 'done'>();
  const stack: RuleGroup[] = [];
  const reported = new Set<RuleGroup>();
  const visit = (g: RuleGroup): void => {
    state.set(g, 'active');
    stack.push(g);
    for (const d of edges.get(g) ?? []) {
      const s = state.get(d);
      if (s === 'active') {
        if (!reported.has(d)) {
          reported.add(d);
          const cycle = [...stack.slice(stack.indexOf(d)), d].map((x) => `data.${x.path.join('.')}`);
          diagnostics.push({
            code: 'rego_recursion_error',
            message: `rule data.${d.path.join('.')} is recursive: ${cycle.join(' -> ')}`,
            position: files.position(d.span),
          });
        }
      } else if (s === undefined) {
        visit(d);
      }
    }
    stack.pop();
    state.set(g, 'done');
  };
  for (const g of table.groups) if (!state.has(g)) visit(g);
}
