// `verdict test --coverage`: the rules of the policy folders that no case saw fire. Rules of built-in packs are
// left out (the folders' authors do not own them). Hand-written Rego rules are found by the rule id they pass to
// the library's reason helpers, or by a literal `"rule": "id"` entry.
import type { PolicySet } from '../../policy/load.js';

export interface DeclaredRule {
  id: string;
  file: string;
  line: number;
}

const PACK_PREFIX = 'verdict:packs/';
const REGO_RULE_ID = /\b(?:lib\.)?(?:reason|approval|mask_entry)\(\s*"([A-Za-z0-9_-]+)"|"rule"\s*:\s*"([A-Za-z0-9_-]+)"/g;

export function declaredRules(set: PolicySet): DeclaredRule[] {
  const out: DeclaredRule[] = [];
  const seen = new Set<string>();
  const add = (rule: DeclaredRule): void => {
    if (seen.has(rule.id)) return;
    seen.add(rule.id);
    out.push(rule);
  };
  for (const doc of set.documents) {
    if (doc.file.startsWith(PACK_PREFIX)) continue;
    for (const rule of doc.rules) add({ id: rule.id, file: rule.file, line: rule.line });
  }
  for (const module of set.rego) {
    if (module.name.startsWith(PACK_PREFIX)) continue;
    for (const match of module.text.matchAll(REGO_RULE_ID)) {
      add({ id: match[1] ?? match[2], file: module.name, line: module.text.slice(0, match.index).split('\n').length });
    }
  }
  return out;
}

/** The declared rules whose id is not among the fired ones. */
export function unexercised(declared: DeclaredRule[], fired: ReadonlySet<string>): DeclaredRule[] {
  return declared.filter((rule) => !fired.has(rule.id));
}
