// Schema documents (SDL): parsing into gqlparser's SchemaDocument shape (graphql.parse_schema) and the
// validation gqlparser's LoadSchema performs (graphql.schema_is_valid): defined and correctly kinded types,
// non-empty fields/values/members, interface implementation, input/output positions, known directives at
// valid locations, schema operation types.
import { Cursor, withList, type Json, type Obj } from './parser.js';

const LOCATIONS = new Set([
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT', 'VARIABLE_DEFINITION',
  'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE', 'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
]);
const KINDS: Record<string, string> = { scalar: 'SCALAR', type: 'OBJECT', interface: 'INTERFACE', union: 'UNION', enum: 'ENUM', input: 'INPUT_OBJECT' };

function description(c: Cursor): string {
  const t = c.peek();
  if (t.kind === 'String' || t.kind === 'BlockString') return c.next().value;
  return '';
}

function inputValue(c: Cursor): Obj {
  const o: Obj = { Description: description(c), Name: c.name() };
  c.expect(':');
  o.Type = c.type();
  if (c.skip('=')) o.DefaultValue = c.value(true);
  return withList(o, 'Directives', c.directives(true));
}

function field(c: Cursor): Obj {
  const o: Obj = { Description: description(c), Name: c.name() };
  withList(o, 'Arguments', c.many('(', ')', () => inputValue(c)));
  c.expect(':');
  o.Type = c.type();
  return withList(o, 'Directives', c.directives(true));
}

/** `{ item+ }` when present (gqlparser's `some`: the braces are optional, emptiness is not). */
function optionalSome<T>(c: Cursor, item: () => T): T[] {
  return c.is('{') ? c.some('{', '}', item) : [];
}

function definition(c: Cursor, keyword: string, desc: string, extension: boolean): Obj {
  const kind = KINDS[keyword];
  const d: Obj = { Kind: kind, Description: desc, Name: c.name() };
  const interfaces: Json[] = [];
  if ((kind === 'OBJECT' || kind === 'INTERFACE') && c.isKeyword('implements')) {
    c.next();
    c.skip('&');
    do interfaces.push(c.name());
    while (c.skip('&'));
  }
  const directives = c.directives(true);
  let fields: Json[] = [];
  const types: Json[] = [];
  let values: Json[] = [];
  if (kind === 'OBJECT' || kind === 'INTERFACE') fields = optionalSome(c, () => field(c));
  else if (kind === 'INPUT_OBJECT') fields = optionalSome(c, () => inputValue(c));
  else if (kind === 'ENUM') values = optionalSome(c, () => withList({ Description: description(c), Name: c.name() }, 'Directives', c.directives(true)));
  else if (kind === 'UNION' && c.skip('=')) {
    c.skip('|');
    do types.push(c.name());
    while (c.skip('|'));
  }
  if (extension && !interfaces.length && !directives.length && !fields.length && !types.length && !values.length) c.unexpected();
  withList(d, 'Directives', directives);
  withList(d, 'Interfaces', interfaces);
  withList(d, 'Fields', fields);
  withList(d, 'Types', types);
  withList(d, 'EnumValues', values);
  d.BuiltIn = false;
  return d;
}

function schemaDefinition(c: Cursor, desc: string, extension: boolean): Obj {
  const directives = c.directives(true);
  const ops = optionalSome(c, () => {
    const op = c.name();
    c.expect(':');
    return { Operation: op, Type: c.name() };
  });
  if (!extension && !ops.length) c.fail(`Expected {, found ${c.peek().kind === 'EOF' ? '<EOF>' : c.peek().value}`);
  if (extension && !ops.length && !directives.length) c.unexpected();
  return withList(withList({ Description: desc }, 'Directives', directives), 'OperationTypes', ops);
}

function directiveDefinition(c: Cursor, desc: string): Obj {
  c.expect('@');
  const d: Obj = { Description: desc, Name: c.name() };
  withList(d, 'Arguments', c.many('(', ')', () => inputValue(c)));
  d.IsRepeatable = false;
  if (c.isKeyword('repeatable')) {
    c.next();
    d.IsRepeatable = true;
  }
  c.expectKeyword('on');
  c.skip('|');
  const locations: Json[] = [];
  do {
    const t = c.peek();
    const loc = c.name();
    if (!LOCATIONS.has(loc)) c.unexpected(t);
    locations.push(loc);
  } while (c.skip('|'));
  d.Locations = locations;
  return d;
}

export function parseSchema(src: string): Obj {
  const c = new Cursor(src);
  const doc: Record<string, Json[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  while (c.peek().kind !== 'EOF') {
    const desc = description(c);
    const t = c.peek();
    if (t.kind !== 'Name') c.unexpected();
    c.next();
    if (t.value === 'schema') doc.Schema.push(schemaDefinition(c, desc, false));
    else if (t.value === 'directive') doc.Directives.push(directiveDefinition(c, desc));
    else if (t.value in KINDS) doc.Definitions.push(definition(c, t.value, desc, false));
    else if (t.value === 'extend') {
      if (desc) c.unexpected(t);
      const k = c.next();
      if (k.kind === 'Name' && k.value === 'schema') doc.SchemaExtension.push(schemaDefinition(c, '', true));
      else if (k.kind === 'Name' && k.value in KINDS) doc.Extensions.push(definition(c, k.value, '', true));
      else c.unexpected(k);
    } else c.unexpected(t);
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(doc)) withList(out, k, v);
  return out;
}

