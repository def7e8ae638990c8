// GraphQL parser producing the JSON shape of gqlparser's AST as OPA returns it (Go field names, empty lists
// and nil pointers omitted, positions dropped). One cursor class serves executable documents
// (graphql.parse_query) and schema documents (graphql.parse_schema).
import { describe, GraphQLSyntaxError, tokenize, type Token } from './lexer.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

/** gqlparser's ast.ValueKind numbering. */
const KIND = { Variable: 0, Int: 1, Float: 2, String: 3, Block: 4, Boolean: 5, Null: 6, Enum: 7, List: 8, Object: 9 };

/** Adds `key` only when the list is non-empty (Go's omitempty). */
export function withList(o: Obj, key: string, list: Json[]): Obj {
  if (list.length) o[key] = list;
  return o;
}

export class Cursor {
  private readonly tokens: Token[];
  private at = 0;

  constructor(src: string) {
    this.tokens = tokenize(src);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'EOF') this.at++;
    return t;
  }

  is(value: string, kind: Token['kind'] = 'Punct'): boolean {
    const t = this.peek();
    return t.kind === kind && t.value === value;
  }

  isKeyword(word: string): boolean {
    return this.is(word, 'Name');
  }

  skip(value: string): boolean {
    if (!this.is(value)) return false;
    this.next();
    return true;
  }

  fail(message: string, t: Token = this.peek()): never {
    throw new GraphQLSyntaxError(message, t.line, t.col);
  }

  unexpected(t: Token = this.peek()): never {
    return this.fail(`Unexpected ${describe(t)}`, t);
  }

  expect(value: string): Token {
    if (!this.is(value)) this.fail(`Expected ${value}, found ${describe(this.peek())}`);
    return this.next();
  }

  expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`Expected "${word}", found ${describe(this.peek())}`);
    this.next();
  }

  name(): string {
    const t = this.peek();
    if (t.kind !== 'Name') this.fail(`Expected Name, found ${describe(t)}`);
    return this.next().value;
  }

  /** `open item+ close` (gqlparser's `some`): at least one item. */
  some<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open);
    const out: T[] = [];
    if (this.is(close)) this.fail(`expected at least one definition, found ${describe(this.peek())}`);
    while (!this.skip(close)) out.push(this.progressing(item));
    return out;
  }

  /** Runs `item`, which must consume input (an item that consumes nothing would loop forever). */
  private progressing<T>(item: () => T): T {
    const before = this.at;
    const v = item();
    if (this.at === before) this.unexpected();
    return v;
  }

  /** `(open item* close)?` (gqlparser's `many`). */
  many<T>(open: string, close: string, item: () => T): T[] {
    const out: T[] = [];
    if (!this.skip(open)) return out;
    while (!this.skip(close)) out.push(this.progressing(item));
    return out;
  }

  value(isConst: boolean): Obj {
    const t = this.peek();
    const v = (kind: number, raw: string, children?: Json[]): Obj => {
      const o: Obj = { Raw: raw, Kind: kind, ExpectedTypeHasDefault: false };
      if (children && children.length) o.Children = children;
      return o;
    };
    if (t.kind === 'Punct') {
      if (t.value === '[') {
        this.next();
        const items: Json[] = [];
        while (!this.skip(']')) {
          if (this.peek().kind === 'EOF') this.fail('Expected ], found <EOF>');
          items.push({ Name: '', Value: this.value(isConst) });
        }
        return v(KIND.List, '', items);
      }
      if (t.value === '{') {
        this.next();
        const fields: Json[] = [];
        while (!this.skip('}')) {
          const n = this.name();
          this.expect(':');
          fields.push({ Name: n, Value: this.value(isConst) });
        }
        return v(KIND.Object, '', fields);
      }
      if (t.value === '$' && !isConst) {
        this.next();
        return v(KIND.Variable, this.name());
      }
      return this.unexpected();
    }
    this.next();
    switch (t.kind) {
      case 'Int':
        return v(KIND.Int, t.value);
      case 'Float':
        return v(KIND.Float, t.value);
      case 'String':
        return v(KIND.String, t.value);
      case 'BlockString':
        return v(KIND.Block, t.value);
      case 'Name':
        if (t.value === 'true' || t.value === 'false') return v(KIND.Boolean, t.value);
        if (t.value === 'null') return v(KIND.Null, t.value);
        return v(KIND.Enum, t.value);
      default:
        return this.unexpected(t);
    }
  }

  arguments(isConst: boolean): Json[] {
    return this.many('(', ')', () => {
      const n = this.name();
      this.expect(':');
      return { Name: n, Value: this.value(isConst) };
    });
  }

  directives(isConst: boolean): Json[] {
    const out: Json[] = [];
    while (this.skip('@')) {
      const d: Obj = { Name: this.name() };
      withList(d, 'Arguments', this.arguments(isConst));
      d.Location = '';
      out.push(d);
    }
    return out;
  }

  type(): Obj {
    let t: Obj;
    if (this.skip('[')) {
      const elem = this.type();
      this.expect(']');
      t = { NamedType: '', Elem: elem, NonNull: false };
    } else t = { NamedType: this.name(), NonNull: false };
    if (this.skip('!')) t.NonNull = true;
    return t;
  }

  variableDefinitions(): Json[] {
    return this.many('(', ')', () => {
      this.expect('$');
      const o: Obj = { Variable: this.name() };
      this.expect(':');
      o.Type = this.type();
      if (this.skip('=')) o.DefaultValue = this.value(true);
      withList(o, 'Directives', this.directives(true));
      o.Used = false;
      return o;
    });
  }
}
