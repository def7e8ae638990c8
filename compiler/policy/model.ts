// The YAML policy language after loading and validation: what the Rego generator and the bundle's data.json
// are built from. Lists are always arrays here (YAML allows a single string), and patterns are normalized.
import type { Position } from '../diagnostics/location.js';

export type Access = 'read' | 'write' | 'ddl' | 'admin';
export type Action = 'block' | 'approve' | 'allow';
export type MaskStrategy = 'redact' | 'null' | 'partial' | 'email' | 'hash' | 'digits' | 'rego';
export const DETECTORS = ['email', 'card_number', 'iban', 'jwt', 'cloud_key', 'ssn', 'phone'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** A column glob split into its `schema.table` and `column` parts (both globs, `*` stops at dots). */
export interface ColumnPattern {
  /** The full `schema.table.column` glob. */
  pattern: string;
  table: string;
  column: string;
}

export interface TimeWindow {
  /** IANA time zone, `UTC` unless given. */
  timezone: string;
  /** Full English weekday names as Rego's time.weekday returns them (Monday, ...). */
  weekdays?: string[];
  /** Minutes since midnight; `from` > `to` is a window across midnight. */
  hours?: { from: number; to: number };
}

export interface Matchers {
  users?: string[];
  groups?: string[];
  environment?: string[];
  database?: string[];
  /** Upper-cased command tag globs. */
  commands?: string[];
  access?: Access[];
  /** `schema.table` globs. */
  relations?: string[];
  columns?: { names: ColumnPattern[]; tags: string[] };
  /** Function name globs; an unqualified name also matches any schema (`*.name`). */
  functions?: string[];
  where?: 'absent' | 'trivial';
  multi_statement?: true;
  time?: TimeWindow;
}

export interface MaskSpec {
  strategy: MaskStrategy;
  keep?: number;
  text?: string;
  length?: number;
  entrypoint?: string;
}

export interface PolicyRule {
  id: string;
  description?: string;
  when: Matchers;
  unless?: Matchers;
  action?: Action;
  message: string;
  approvers?: { groups: string[]; min_approvals: number };
  mask?: MaskSpec;
  /** Where the rule was written: the policy file's name and the line of its `id`. */
  file: string;
  line: number;
}

export interface ClassificationEntry extends ColumnPattern {
  tags: string[];
}

export interface DetectorConfig {
  enabled: boolean;
  mask: MaskSpec;
  /** Identities the detector does not run for (user and group globs). */
  unless?: { users?: string[]; groups?: string[] };
}

/** One YAML policy file, validated. */
export interface PolicyDocument {
  file: string;
  default_action?: 'allow' | 'block';
  /** Where `default_action` is set, for conflicts between files. */
  defaultActionAt?: Position;
  classification: ClassificationEntry[];
  detectors: Partial<Record<DetectorName, DetectorConfig>>;
  rules: PolicyRule[];
}

/** A Rego module to compile: a display name (path) and its text. */
export interface RegoSource {
  name: string;
  text: string;
}

/** The decision contract's version, written into every output and into data.json. */
export const CONTRACT_VERSION = 'v1';
