// Call checks (OPA's type checker, the part that needs no inference): every called name must be a builtin or a
// user function, with the right number of arguments, and literal arguments of the declared type.
import { BUILTINS } from '../builtins/catalog/index.js';
import type { BuiltinDecl, RegoType } from '../builtins/types.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Expr, Term } from '../syntax/ast.js';
import type { RuleTable } from './rules.js';

export class CallChecker {
  constructor(
    private readonly files: SourceFiles,
    private readonly diagnostics: Diagnostic[],
    private readonly table: RuleTable,
    private readonly builtins: ReadonlyMap<string, BuiltinDecl> = BUILTINS,
  ) {}

  /** Parameters of a callable, or undefined for unknown names and variadic builtins. */
  arity(name: string): number | undefined {
    if (name.startsWith('data.')) {
      const g = this.table.lookup(name.split('.').slice(1))?.group;
      return g?.kind === 'function' ? g.arity : undefined;
    }
    const decl = this.builtins.get(name);
    return decl && !decl.variadic ? decl.args.length : undefined;
  }

  builtin(name: string): BuiltinDecl | undefined {
    return this.builtins.get(name);
  }

  /** Checks a call in statement position (may carry an output argument). */
  checkExprCall(e: Expr): void {
    if (e.body.kind !== 'call') return;
    const { name, args, nameSpan } = e.body;
    if (name === 'assign' && !isAssignable(args[0])) {
      this.error(args[0].span, 'rego_compile_error', `cannot assign to ${describeTerm(args[0])}`);
    }
    this.check(name, args, nameSpan, true);
  }

  /** Checks a call used as a value. */
  checkTermCall(t: Term): void {
    if (t.type === 'call') this.check(t.name, t.args, t.nameSpan, false);
  }

  private check(name: string, args: Term[], span: Span, allowOutput: boolean): void {
    if (name.startsWith('data.')) {
      const node = this.table.lookup(name.split('.').slice(1));
      if (!node?.group) return this.error(span, 'rego_type_error', `undefined function ${name}`);
      if (node.group.kind !== 'function') {
        // `data.x.p(1)` on a non-function rule: OPA reports it as an undefined function.
        return this.error(span, 'rego_type_error', `undefined function ${name}`);
      }
      this.checkArity(name, node.group.arity, args.length, span, allowOutput);
      return;
    }
    const decl = this.builtins.get(name);
    if (!decl) return this.error(span, 'rego_type_error', `undefined function ${name}`);
    // Rego v1 removed the builtins OPA 0.x deprecated (any, all, re_match, set_diff, cast_*, …).
    if (decl.deprecated) return this.error(span, 'rego_type_error', `undefined function ${name} (deprecated built-in, removed in Rego v1)`);
    if (decl.variadic) return;
    if (!this.checkArity(name, decl.args.length, args.length, span, allowOutput)) return;
    for (let i = 0; i < Math.min(args.length, decl.args.length); i++) {
      const have = literalType(args[i]);
      if (have && !accepts(decl.args[i], have)) {
        this.error(args[i].span, 'rego_type_error', `${name}: invalid argument(s): argument ${i + 1} is ${have}, want ${typeName(decl.args[i])}`);
        return;
      }
    }
  }

  private checkArity(name: string, arity: number, got: number, span: Span, allowOutput: boolean): boolean {
    if (got === arity || (allowOutput && got === arity + 1)) return true;
    const want = allowOutput ? `${arity} (or ${arity + 1} with an output)` : `${arity}`;
    this.error(span, 'rego_type_error', `${name}: arity mismatch: have ${got} argument${got === 1 ? '' : 's'}, want ${want}`);
    return false;
  }

  private error(span: Span, code: string, message: string): void {
    this.diagnostics.push({ code, message, position: this.files.position(span) });
  }
}

function isAssignable(t: Term): boolean {
  if (t.type === 'var') return true;
  if (t.type === 'array') return t.items.every(isAssignable);
  if (t.type === 'object') return t.entries.every(([, v]) => isAssignable(v) || isLiteral(v));
  return false;
}

function isLiteral(t: Term): boolean {
  return t.type === 'string' || t.type === 'number' || t.type === 'boolean' || t.type === 'null';
}

function describeTerm(t: Term): string {
  if (t.type === 'ref' || t.type === 'call') return t.type === 'ref' ? 'ref' : 'call';
  return `${t.type}`;
}

type Basic = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

function literalType(t: Term): Basic | undefined {
  switch (t.type) {
    case 'null': case 'boolean': case 'number': case 'string': case 'array': case 'object': case 'set':
      return t.type;
    case 'arraycomp': return 'array';
    case 'setcomp': return 'set';
    case 'objectcomp': return 'object';
    default: return undefined;
  }
}

function accepts(want: RegoType, have: Basic): boolean {
  if (want.type === 'any') return true;
  if (want.type === 'union') return want.of.some((w) => accepts(w, have));
  return want.type === have;
}

function typeName(t: RegoType): string {
  if (t.type === 'union') return t.of.map(typeName).join(' or ');
  return t.type;
}
