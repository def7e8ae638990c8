// Database objects whose SQL runs without appearing in the statement that sets it off: a view's query (when the
// view is read or written through), a function's or procedure's body (when called), a trigger's function and a
// rule's actions (when their table is written). Each is kept as the facts of that SQL. A name may have several
// bodies (overloads, or a definition seen being created beside the catalog's): all of them count, since a
// statement's effects must be over-approximated, never under.
import type { StatementFacts } from '../facts.js';
import type { NameContext } from '../search-path.js';

/** The parts of StatementFacts a body adds to the statement that runs it. */
export type BodyFacts = Pick<StatementFacts, 'commands' | 'relations' | 'functions' | 'where'>;

/** The session that runs a body: its names, and one string for all of them (SessionState.resolutionKey). */
export interface CallerNames extends NameContext {
  resolutionKey: string;
}

/** A body's facts for the session that runs it, analysed on first use (a catalog holds many functions never called). */
export type Body = (caller: CallerNames) => BodyFacts;

/** A body whose names were bound when it was defined (a view's or a rule's query): the caller changes nothing. */
export function boundBody(analyse: () => BodyFacts): Body {
  let facts: BodyFacts | undefined;
  return () => (facts ??= analyse());
}

/** Search paths remembered per body whose names resolve when it runs; past that the memo starts over. */
const CALLER_PATHS = 16;

/**
 * A body whose unqualified names resolve when it runs, with the caller's search_path (a function without its own
 * `SET search_path`): analysed once per search_path it runs under.
 */
export function callerBody(analyse: (names: NameContext) => BodyFacts): Body {
  const byPath = new Map<string, BodyFacts>();
  return (caller) => {
    let facts = byPath.get(caller.resolutionKey);
    if (!facts) {
      if (byPath.size >= CALLER_PATHS) byPath.clear();
      facts = analyse(caller);
      byPath.set(caller.resolutionKey, facts);
    }
    return facts;
  };
}

export class ObjectDefinitions {
  /** `schema.view` → the view's query. */
  readonly views = new Map<string, Body[]>();
  /** Function or procedure name → its schema → bodies (overloads). */
  readonly functions = new Map<string, Map<string, Body[]>>();
  /** `schema.table` → rule actions that run when it is written. */
  readonly rules = new Map<string, Body[]>();
  /** `schema.table` → trigger functions (`schema.name`) that run when it is written. */
  readonly triggers = new Map<string, string[]>();

  get empty(): boolean {
    return this.views.size === 0 && this.functions.size === 0 && this.rules.size === 0 && this.triggers.size === 0;
  }

  addView(qualified: string, body: Body): void {
    push(this.views, qualified, body);
  }

  addFunction(schema: string, name: string, body: Body): void {
    let bySchema = this.functions.get(name);
    if (!bySchema) this.functions.set(name, (bySchema = new Map()));
    push(bySchema, schema, body);
  }

  addRule(qualified: string, body: Body): void {
    push(this.rules, qualified, body);
  }

  addTrigger(qualified: string, fn: string): void {
    const list = this.triggers.get(qualified);
    if (!list) this.triggers.set(qualified, [fn]);
    else if (!list.includes(fn)) list.push(fn);
  }

  /**
   * Bodies a call of `name` may run: `schema.name` exactly, a bare name in any schema (which one the call reaches
   * depends on search_path and argument types; counting all of them can only over-approximate).
   */
  functionBodies(name: string): Body[] {
    const dot = name.lastIndexOf('.');
    const bySchema = this.functions.get(dot < 0 ? name : name.slice(dot + 1));
    if (!bySchema) return NONE;
    if (dot >= 0) return bySchema.get(name.slice(0, dot)) ?? NONE;
    if (bySchema.size === 1) return bySchema.values().next().value!;
    return [...bySchema.values()].flat();
  }

  /** Everything `other` knows joins this. */
  absorb(other: ObjectDefinitions): void {
    for (const [q, bodies] of other.views) for (const b of bodies) this.addView(q, b);
    for (const [name, bySchema] of other.functions) for (const [schema, bodies] of bySchema) for (const b of bodies) this.addFunction(schema, name, b);
    for (const [q, bodies] of other.rules) for (const b of bodies) this.addRule(q, b);
    for (const [q, fns] of other.triggers) for (const f of fns) this.addTrigger(q, f);
  }

  /** A relation renamed or moved: what ran through the old name now runs through the new one. */
  copyRelation(from: string, to: string, into: ObjectDefinitions): void {
    for (const b of this.views.get(from) ?? NONE) into.addView(to, b);
    for (const b of this.rules.get(from) ?? NONE) into.addRule(to, b);
    for (const f of this.triggers.get(from) ?? []) into.addTrigger(to, f);
  }

  /** A function renamed or moved (`from` bare or qualified, as functionBodies takes it). */
  copyFunction(from: string, toSchema: string, toName: string, into: ObjectDefinitions): void {
    for (const b of this.functionBodies(from)) into.addFunction(toSchema, toName, b);
  }
}

const NONE: Body[] = [];

function push<K>(map: Map<K, Body[]>, key: K, body: Body): void {
  const list = map.get(key);
  if (!list) map.set(key, [body]);
  else if (!list.includes(body)) list.push(body);
}
