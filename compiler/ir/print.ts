// A readable listing of a Policy: every statement on its own line with its operands and its source location,
// nested blocks indented. For debugging plans and for tests; not a stable format.
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Block, Func, Operand, Policy, Stmt } from './ir.js';

export function printPolicy(policy: Policy, files?: SourceFiles): string {
  const out: string[] = [];
  const strings = policy.static.strings;
  const op = (o: Operand): string =>
    o.kind === 'local' ? `%${o.local}` : o.kind === 'bool' ? String(o.value) : JSON.stringify(strings[o.index] ?? `<string ${o.index}>`);
  const where = (span?: Span): string => {
    if (!span) return '';
    if (!files) return `  @${span.file}:${span.start}`;
    const p = files.position(span);
    return `  @${p.file}:${p.line}:${p.col}`;
  };
  const block = (b: Block, depth: number): void => {
    for (const s of b.stmts) stmt(s, depth);
  };
  const line = (depth: number, text: string, span?: Span): void => {
    out.push(`${'  '.repeat(depth)}${text}${where(span)}`);
  };
  const stmt = (s: Stmt, depth: number): void => {
    const [text, nested] = describe(s, op);
    line(depth, text, s.span);
    for (const [label, b] of nested) {
      line(depth + 1, `${label}:`);
      block(b, depth + 2);
    }
  };
  out.push(`strings: ${strings.map((s, i) => `${i}=${JSON.stringify(s)}`).join(' ')}`);
  out.push(`builtins: ${policy.static.builtinFuncs.map((b) => `${b.name}/${b.arity}`).join(' ')}`);
  for (const f of policy.funcs) {
    out.push(funcHeader(f));
    f.blocks.forEach((b, i) => {
      line(1, `block ${i}:`);
      block(b, 2);
    });
  }
  for (const p of policy.plans) {
    out.push(`plan ${p.name}`);
    p.blocks.forEach((b, i) => {
      line(1, `block ${i}:`);
      block(b, 2);
    });
  }
  return out.join('\n') + '\n';
}

function funcHeader(f: Func): string {
  return `func ${f.name}(${f.params.map((p) => `%${p}`).join(', ')}) -> %${f.return}  path=${f.path.join('/')}`;
}

function describe(s: Stmt, op: (o: Operand) => string): [string, [string, Block][]] {
  const l = (n: number): string => `%${n}`;
  switch (s.kind) {
    case 'ReturnLocal': return [`ReturnLocal ${l(s.source)}`, []];
    case 'Call': return [`Call ${s.func}(${s.args.map(op).join(', ')}) -> ${l(s.result)}`, []];
    case 'CallDynamic': return [`CallDynamic [${s.path.map(op).join(', ')}](${s.args.map(l).join(', ')}) -> ${l(s.result)}`, []];
    case 'Block': return [`Block`, s.blocks.map((b, i) => [`block ${i}`, b])];
    case 'Break': return [`Break ${s.index}`, []];
    case 'Dot': return [`Dot ${op(s.source)}[${op(s.key)}] -> ${l(s.target)}`, []];
    case 'Len': return [`Len ${op(s.source)} -> ${l(s.target)}`, []];
    case 'Scan': return [`Scan ${l(s.source)} key=${l(s.key)} value=${l(s.value)}`, [['do', s.block]]];
    case 'Not': return ['Not', [['block', s.block]]];
    case 'AssignInt': return [`AssignInt ${s.value} -> ${l(s.target)}`, []];
    case 'AssignVar': return [`AssignVar ${op(s.source)} -> ${l(s.target)}`, []];
    case 'AssignVarOnce': return [`AssignVarOnce ${op(s.source)} -> ${l(s.target)}`, []];
    case 'ResetLocal': return [`ResetLocal ${l(s.target)}`, []];
    case 'MakeNull': return [`MakeNull -> ${l(s.target)}`, []];
    case 'MakeNumberInt': return [`MakeNumberInt ${s.value} -> ${l(s.target)}`, []];
    case 'MakeNumberRef': return [`MakeNumberRef #${s.index} -> ${l(s.target)}`, []];
    case 'MakeArray': return [`MakeArray cap=${s.capacity} -> ${l(s.target)}`, []];
    case 'MakeObject': return [`MakeObject -> ${l(s.target)}`, []];
    case 'MakeSet': return [`MakeSet -> ${l(s.target)}`, []];
    case 'Equal': return [`Equal ${op(s.a)} ${op(s.b)}`, []];
    case 'NotEqual': return [`NotEqual ${op(s.a)} ${op(s.b)}`, []];
    case 'IsArray': return [`IsArray ${op(s.source)}`, []];
    case 'IsObject': return [`IsObject ${op(s.source)}`, []];
    case 'IsSet': return [`IsSet ${op(s.source)}`, []];
    case 'IsDefined': return [`IsDefined ${l(s.source)}`, []];
    case 'IsUndefined': return [`IsUndefined ${l(s.source)}`, []];
    case 'ArrayAppend': return [`ArrayAppend ${op(s.value)} -> ${l(s.array)}`, []];
    case 'ObjectInsert': return [`ObjectInsert ${op(s.key)}: ${op(s.value)} -> ${l(s.object)}`, []];
    case 'ObjectInsertOnce': return [`ObjectInsertOnce ${op(s.key)}: ${op(s.value)} -> ${l(s.object)}`, []];
    case 'ObjectMerge': return [`ObjectMerge ${l(s.a)} ${l(s.b)} -> ${l(s.target)}`, []];
    case 'SetAdd': return [`SetAdd ${op(s.value)} -> ${l(s.set)}`, []];
    case 'With': return [`With ${l(s.local)}${s.path.map((p) => `[#${p}]`).join('')} = ${op(s.value)}`, [['do', s.block]]];
    case 'Nop': return ['Nop', []];
    case 'ResultSetAdd': return [`ResultSetAdd ${l(s.value)}`, []];
  }
}
