// From a schema-valid YAML value to the policy model: lists become arrays, patterns are qualified, and the
// checks JSON Schema cannot express (cross-field requirements, time zones, duplicate ids) report positions.
import type { Diagnostic } from '../diagnostics/errors.js';
import {
  DETECTORS,
  type Access,
  type ClassificationEntry,
  type ColumnPattern,
  type DetectorConfig,
  type DetectorName,
  type MaskSpec,
  type Matchers,
  type PolicyDocument,
  type PolicyRule,
} from './model.js';
import {
  columnPattern,
  commandPattern,
  functionPatterns,
  hoursWindow,
  isTimeZone,
  relationPattern,
  weekdayName,
} from './patterns.js';
import type { YamlSource } from './yaml-source.js';

type Raw = Record<string, unknown>;
type Path = (string | number)[];

/** Default masks of the content detectors when the pack names none. */
const DETECTOR_MASKS: Record<DetectorName, MaskSpec> = {
  email: { strategy: 'email' },
  card_number: { strategy: 'partial', keep: 4 },
  iban: { strategy: 'partial', keep: 4 },
  jwt: { strategy: 'redact' },
  cloud_key: { strategy: 'redact' },
  ssn: { strategy: 'redact' },
  phone: { strategy: 'partial', keep: 2 },
};

export class Normalizer {
  readonly errors: Diagnostic[] = [];

  constructor(private readonly source: YamlSource) {}

  document(raw: Raw): PolicyDocument {
    const doc: PolicyDocument = {
      file: this.source.name,
      classification: [],
      detectors: {},
      rules: [],
    };
    if (raw.default_action !== undefined) {
      doc.default_action = raw.default_action as 'allow' | 'block';
      doc.defaultActionAt = this.source.position(this.source.offsetOf(['default_action']));
    }
    ((raw.classification as Raw[] | undefined) ?? []).forEach((entry, i) => {
      const tags = list(entry.tags);
      list(entry.columns).forEach((pattern, j) => {
        const col = this.column(pattern, ['classification', i, 'columns', ...(Array.isArray(entry.columns) ? [j] : [])]);
        if (col) doc.classification.push({ ...col, tags } satisfies ClassificationEntry);
      });
    });
    const detectors = (raw.detectors as Raw | undefined) ?? {};
    for (const name of DETECTORS) {
      const d = detectors[name] as Raw | undefined;
      if (!d) continue;
      const mask = d.mask ? this.mask(d.mask as Raw, ['detectors', name, 'mask']) : DETECTOR_MASKS[name];
      if (mask?.strategy === 'rego') this.error(['detectors', name, 'mask', 'strategy'], 'detectors cannot use a rego mask (they run in the proxy)');
      if (!mask) continue;
      const config: DetectorConfig = { enabled: d.enabled === true, mask };
      const unless = d.unless as Raw | undefined;
      if (unless) config.unless = { ...(unless.users !== undefined ? { users: list(unless.users) } : {}), ...(unless.groups !== undefined ? { groups: list(unless.groups) } : {}) };
      doc.detectors[name] = config;
    }
    ((raw.rules as Raw[] | undefined) ?? []).forEach((rule, i) => {
      const r = this.rule(rule, ['rules', i]);
      if (r) doc.rules.push(r);
    });
    return doc;
  }

  private rule(raw: Raw, path: Path): PolicyRule | null {
    const id = String(raw.id);
    const before = this.errors.length;
    const when = raw.when ? this.matchers(raw.when as Raw, [...path, 'when']) : {};
    const unless = raw.unless ? this.matchers(raw.unless as Raw, [...path, 'unless']) : undefined;
    const action = raw.action as PolicyRule['action'];
    const mask = raw.mask ? this.mask(raw.mask as Raw, [...path, 'mask']) : undefined;
    if (!action && !raw.mask) this.error([...path, 'id'], `rule "${id}" needs an action or a mask`);
    if (action === 'approve' && !raw.approvers) this.error([...path, 'action'], `rule "${id}" has action approve but no approvers`);
    if (raw.approvers && action !== 'approve') this.error([...path, 'approvers'], `rule "${id}": approvers apply only to action approve`);
    if (raw.mask && !when.columns) this.error([...path, 'mask'], `rule "${id}" masks columns but its when has no columns matcher`);
    if (this.errors.length > before) return null;
    const rule: PolicyRule = {
      id,
      when,
      message: typeof raw.message === 'string' ? raw.message : typeof raw.description === 'string' ? raw.description : `rule ${id}`,
      file: this.source.name,
      line: this.source.line(this.source.offsetOf([...path, 'id'])),
    };
    if (typeof raw.description === 'string') rule.description = raw.description;
    if (unless) rule.unless = unless;
    if (action) rule.action = action;
    if (mask) rule.mask = mask;
    if (raw.approvers) {
      const a = raw.approvers as Raw;
      rule.approvers = { groups: list(a.groups), min_approvals: typeof a.min_approvals === 'number' ? a.min_approvals : 1 };
    }
    return rule;
  }

  private matchers(raw: Raw, path: Path): Matchers {
    const m: Matchers = {};
    for (const key of ['users', 'groups', 'environment', 'database'] as const) if (raw[key] !== undefined) m[key] = list(raw[key]);
    if (raw.commands !== undefined) m.commands = list(raw.commands).map(commandPattern);
    if (raw.access !== undefined) m.access = list(raw.access) as Access[];
    if (raw.relations !== undefined) {
      m.relations = [];
      list(raw.relations).forEach((p, i) => {
        const q = relationPattern(p);
        if (q) m.relations!.push(q);
        else this.error(at(path, 'relations', raw.relations, i), `relation pattern "${p}" has more than two parts (schema.table)`);
      });
    }
    if (raw.columns !== undefined) {
      const spec = raw.columns;
      const isObject = typeof spec === 'object' && spec !== null && !Array.isArray(spec);
      const names = isObject ? (spec as Raw).names : spec;
      const tags = isObject ? list((spec as Raw).tags) : [];
      const patterns: ColumnPattern[] = [];
      const namesPath = isObject ? [...path, 'columns'] : path;
      list(names).forEach((p, i) => {
        const col = this.column(p, at(namesPath, isObject ? 'names' : 'columns', names, i));
        if (col) patterns.push(col);
      });
      m.columns = { names: patterns, tags };
    }
    if (raw.functions !== undefined) m.functions = list(raw.functions).flatMap(functionPatterns);
    if (raw.where !== undefined) m.where = raw.where as 'absent' | 'trivial';
    if (raw.multi_statement === true) m.multi_statement = true;
    if (raw.time !== undefined) {
      const t = raw.time as Raw;
      const timezone = typeof t.timezone === 'string' ? t.timezone : 'UTC';
      if (!isTimeZone(timezone)) this.error([...path, 'time', 'timezone'], `unknown time zone "${timezone}"`);
      m.time = { timezone };
      if (t.weekdays === undefined && t.hours === undefined) this.error([...path, 'time'], 'time needs weekdays, hours or both');
      if (t.weekdays !== undefined) m.time.weekdays = list(t.weekdays).map(weekdayName);
      if (typeof t.hours === 'string') {
        const hours = hoursWindow(t.hours);
        if (hours.from === hours.to || hours.from > 1440 || hours.to > 1440) {
          this.error([...path, 'time', 'hours'], `hours "${t.hours}" is not a window (HH:MM-HH:MM, start different from end)`);
        }
        m.time.hours = hours;
      }
    }
    return m;
  }

  private mask(raw: Raw, path: Path): MaskSpec | null {
    const strategy = raw.strategy as MaskSpec['strategy'];
    const params: Record<string, MaskSpec['strategy']> = { keep: 'partial', text: 'redact', length: 'hash', entrypoint: 'rego' };
    let ok = true;
    for (const [param, owner] of Object.entries(params)) {
      if (raw[param] !== undefined && strategy !== owner) {
        this.error([...path, param], `mask parameter "${param}" applies only to strategy ${owner}, not ${strategy}`);
        ok = false;
      }
    }
    if (strategy === 'rego' && raw.entrypoint === undefined) {
      this.error([...path, 'strategy'], 'mask strategy rego needs an entrypoint (verdict/masks/NAME)');
      ok = false;
    }
    if (!ok) return null;
    const mask: MaskSpec = { strategy };
    if (strategy === 'partial') mask.keep = typeof raw.keep === 'number' ? raw.keep : 4;
    if (strategy === 'redact' && typeof raw.text === 'string') mask.text = raw.text;
    if (strategy === 'hash' && typeof raw.length === 'number') mask.length = raw.length;
    if (strategy === 'rego') mask.entrypoint = String(raw.entrypoint);
    return mask;
  }

  private column(pattern: string, path: Path): ColumnPattern | null {
    const col = columnPattern(pattern);
    if (!col) this.error(path, `column pattern "${pattern}" has more than three parts (schema.table.column)`);
    return col;
  }

  private error(path: Path, message: string): void {
    this.errors.push(this.source.diagnostic(this.source.offsetOf(path), message));
  }
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Path of item i of key (a plain string value has no index). */
function at(path: Path, key: string, value: unknown, i: number): Path {
  return Array.isArray(value) ? [...path, key, i] : [...path, key];
}
