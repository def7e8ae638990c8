// Exact cache keys for decisions. Two inputs get the same key only when every field the policy can see is equal.
// The analyzer hands out shallow copies of cached facts whose arrays are shared and frozen (proxy/analysis/
// analyzer.ts freezeParts), so a frozen part is keyed by its identity (a small id, no walk); anything else, and
// any facts object with fields this file does not know, is keyed by its JSON text (slower, still exact).
import type { ResultColumn } from '../../policies/contract.js';
import type { StatementFacts } from '../analysis/facts.js';
import type { SessionIdentity, StatementInput } from '../server/verdict-seam.js';

/** The StatementFacts fields keyed one by one below; a facts object with any other field is keyed whole. */
const KNOWN_FIELDS = new Set([
  'command', 'commands', 'relations', 'functions', 'where', 'limit', 'fingerprint', 'normalized',
  'index', 'count', 'text', 'parseable', 'error', 'errorPosition',
]);

interface IdentityMemo {
  user: string;
  method: string;
  groups: string[];
  key: string;
}

export class DecisionKeys {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly identities = new WeakMap<SessionIdentity, IdentityMemo>();

  /** Key of the statement decision: identity, session and facts (and the clock tick when the policy reads it). */
  statement(input: StatementInput, tick: number | null): string {
    return `${this.identity(input.identity)}${str(input.database)}${str(input.applicationName)}${str(input.clientAddress)}${this.facts(input.facts)}${tick === null ? '-' : `t${tick}`}`;
  }

  /** Key of a columns decision: the statement key and the result's columns. */
  columns(statementKey: string, columns: ResultColumn[]): string {
    let key = `${statementKey}|${columns.length}`;
    for (const c of columns) {
      key += `${str(c.name)}${c.source === null ? '-' : str(c.source)}${c.type === undefined ? '-' : str(c.type)}`;
      if (c.tags === undefined) key += '-';
      else {
        key += `[${c.tags.length}`;
        for (const t of c.tags) key += str(t);
      }
    }
    return key;
  }

  /** The identity's key, memoised per identity object and checked against its current fields (never stale). */
  private identity(identity: SessionIdentity): string {
    const memo = this.identities.get(identity);
    if (memo && memo.user === identity.user && memo.method === identity.method && sameStrings(memo.groups, identity.groups)) return memo.key;
    let key = `${str(identity.user)}${str(identity.method)}${identity.groups.length}`;
    for (const g of identity.groups) key += str(g);
    this.identities.set(identity, { user: identity.user, method: identity.method, groups: identity.groups.slice(), key });
    return key;
  }

  private facts(f: StatementFacts): string {
    for (const field in f) if (!KNOWN_FIELDS.has(field)) return `J${str(JSON.stringify(f))}`;
    return (
      `${str(f.command)}${this.part(f.commands, frozenArray(f.commands))}${this.part(f.relations, frozenRelations(f.relations))}` +
      `${this.part(f.functions, frozenArray(f.functions))}${f.where === null ? '-' : this.part(f.where, Object.isFrozen(f.where))}` +
      `${f.limit === null ? '-' : `#${f.limit}`}${str(f.fingerprint)}${str(f.normalized)}${f.index},${f.count},` +
      `${f.parseable ? 'p' : 'u'}${f.error === undefined ? '-' : str(f.error)}${f.errorPosition === undefined ? '-' : `#${f.errorPosition}`}${str(f.text)}`
    );
  }

  private part(value: object, frozen: boolean): string {
    if (!frozen) return `J${str(JSON.stringify(value))}`;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(value, id);
    }
    return `@${id};`;
  }
}

/** Length-prefixed, so no two sequences of strings give the same key. */
function str(s: string): string {
  return `${s.length}:${s}`;
}

function sameStrings(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function frozenArray(a: readonly unknown[]): boolean {
  return Object.isFrozen(a);
}

function frozenRelations(relations: StatementFacts['relations']): boolean {
  if (!Object.isFrozen(relations)) return false;
  for (const r of relations) if (!Object.isFrozen(r) || !Object.isFrozen(r.access) || !Object.isFrozen(r.columns)) return false;
  return true;
}
