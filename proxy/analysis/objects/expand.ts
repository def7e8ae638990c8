// A statement's facts with what it sets off: reading a view reads what the view reads; writing through a view
// writes its base relations; calling a function runs its body; writing a table runs its triggers and rules. The
// closure is taken over everything reached (a view over a view, a function calling a function), each object once,
// so policies see the relations a statement really touches. Facts nothing expands are returned as they are.
import type { Access, RelationFact, StatementFacts, WhereFact } from '../facts.js';
import { combineWheres } from '../build-facts.js';
import { isUnreadable } from './body-facts.js';
import type { Body, BodyFacts, CallerNames, ObjectDefinitions } from './definitions.js';

interface Acc {
  schema: string;
  name: string;
  access: Set<Access>;
  columns: Set<string>;
}

/** How a body joins: run (its effects as they are), read (a view read), write (a view written through). */
type Mode = 'run' | 'read' | 'write';

export function expandFacts(facts: StatementFacts, defs: ObjectDefinitions, caller: CallerNames): StatementFacts {
  if (!facts.parseable || defs.empty) return facts;
  const relations = new Map<string, Acc>();
  for (const r of facts.relations) relations.set(r.qualified, { schema: r.schema, name: r.name, access: new Set(r.access), columns: new Set(r.columns) });
  const functions = new Set(facts.functions);
  const commands = [...facts.commands];
  const wheres: WhereFact[] = facts.where ? [facts.where] : [];
  const done = new Set<string>();
  let error: string | null = null;
  let changed = false;

  const join = (body: BodyFacts, mode: Mode): void => {
    if (isUnreadable(body)) {
      error ??= body.error;
      changed = true;
    }
    for (const r of body.relations) {
      let acc = relations.get(r.qualified);
      if (!acc) relations.set(r.qualified, (acc = { schema: r.schema, name: r.name, access: new Set(), columns: new Set() }));
      const before = acc.access.size + acc.columns.size;
      if (mode === 'run') for (const a of r.access) acc.access.add(a);
      else acc.access.add('read');
      if (mode === 'write') acc.access.add('write');
      for (const c of r.columns) acc.columns.add(c);
      if (acc.access.size + acc.columns.size !== before) changed = true;
    }
    for (const f of body.functions) {
      if (functions.has(f)) continue;
      functions.add(f);
      changed = true;
    }
    if (mode !== 'run') return;
    for (const c of body.commands) {
      if (commands.includes(c)) continue;
      commands.push(c);
      changed = true;
    }
    if (body.where) {
      wheres.push(body.where);
      changed = true;
    }
  };
  const run = (key: string, bodies: readonly Body[], mode: Mode): boolean => {
    if (bodies.length === 0 || done.has(key)) return false;
    done.add(key);
    for (const body of bodies) join(body(caller), mode);
    return true;
  };

  // Until nothing new is reached: each (object, mode) runs once, so cycles end.
  for (let progress = true; progress; ) {
    progress = false;
    for (const [qualified, acc] of relations) {
      const write = acc.access.has('write');
      const views = defs.views.get(qualified);
      if (views && (write || acc.access.has('read'))) progress = run(`${write ? 'w' : 'r'}${qualified}`, views, write ? 'write' : 'read') || progress;
      if (!write) continue;
      const rules = defs.rules.get(qualified);
      if (rules) progress = run(`u${qualified}`, rules, 'run') || progress;
      for (const fn of defs.triggers.get(qualified) ?? []) {
        if (functions.has(fn)) continue;
        functions.add(fn);
        changed = progress = true;
      }
    }
    for (const fn of functions) progress = run(`f${fn}`, defs.functionBodies(fn), 'run') || progress;
  }
  if (!changed) return facts;
  if (error !== null) {
    // Fail closed: what a body does is unknown, so the statement cannot be judged.
    return { ...facts, parseable: false, error, errorPosition: 0 };
  }
  const out: RelationFact[] = [];
  for (const [qualified, acc] of relations) out.push({ schema: acc.schema, name: acc.name, qualified, access: [...acc.access].sort(), columns: [...acc.columns].sort() });
  return {
    ...facts,
    commands,
    relations: out,
    functions: [...functions].sort(),
    where: combineWheres(wheres),
  };
}
