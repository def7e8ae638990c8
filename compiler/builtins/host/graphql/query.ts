// Executable documents (operations and fragments), as gqlparser's ParseQuery builds them.
import { Cursor, withList, type Json, type Obj } from './parser.js';

const OPERATIONS = new Set(['query', 'mutation', 'subscription']);

function selectionSet(c: Cursor): Json[] {
  return c.some('{', '}', () => selection(c));
}

function selection(c: Cursor): Json {
  if (c.skip('...')) {
    if (c.isKeyword('on')) {
      c.next();
      const o: Obj = { TypeCondition: c.name() };
      withList(o, 'Directives', c.directives(false));
      o.SelectionSet = selectionSet(c);
      return o;
    }
    if (c.peek().kind === 'Name') {
      const o: Obj = { Name: c.name() };
      return withList(o, 'Directives', c.directives(false));
    }
    const o: Obj = { TypeCondition: '' };
    withList(o, 'Directives', c.directives(false));
    o.SelectionSet = selectionSet(c);
    return o;
  }
  const alias = c.name();
  const name = c.skip(':') ? c.name() : alias;
  const o: Obj = { Alias: alias, Name: name };
  withList(o, 'Arguments', c.arguments(false));
  withList(o, 'Directives', c.directives(false));
  if (c.is('{')) withList(o, 'SelectionSet', selectionSet(c));
  return o;
}

function operation(c: Cursor): Json {
  if (c.is('{')) return { Operation: 'query', Name: '', SelectionSet: selectionSet(c) };
  const op = c.next().value;
  const o: Obj = { Operation: op, Name: c.peek().kind === 'Name' ? c.name() : '' };
  withList(o, 'VariableDefinitions', c.variableDefinitions());
  withList(o, 'Directives', c.directives(false));
  o.SelectionSet = selectionSet(c);
  return o;
}

function fragment(c: Cursor): Json {
  c.expectKeyword('fragment');
  if (c.isKeyword('on')) c.unexpected();
  const o: Obj = { Name: c.name() };
  withList(o, 'VariableDefinition', c.variableDefinitions());
  c.expectKeyword('on');
  o.TypeCondition = c.name();
  withList(o, 'Directives', c.directives(false));
  o.SelectionSet = selectionSet(c);
  return o;
}

export function parseQuery(src: string): Obj {
  const c = new Cursor(src);
  const operations: Json[] = [];
  const fragments: Json[] = [];
  while (c.peek().kind !== 'EOF') {
    const t = c.peek();
    if (c.is('{')) operations.push(operation(c));
    else if (t.kind === 'Name' && OPERATIONS.has(t.value)) operations.push(operation(c));
    else if (t.kind === 'Name' && t.value === 'fragment') fragments.push(fragment(c));
    else c.unexpected();
  }
  const doc: Obj = {};
  withList(doc, 'Operations', operations);
  withList(doc, 'Fragments', fragments);
  return doc;
}
