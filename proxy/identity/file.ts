// The identities file: who may log in to the proxy with a password, and the groups policies see for them.
//   identities:
//     - user: alice
//       scram: SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>
//       groups: [analysts]
// Every problem is reported at file:line:col; a file with any problem is rejected as a whole.
import { Ajv, type ErrorObject } from 'ajv';
import type { Diagnostic } from '../../compiler/diagnostics/errors.js';
import { ConfigError, locate, parseYaml, schemaDiagnostics, toData, type YamlSource } from '../config/yaml-source.js';
import { parseScramVerifier, type ScramVerifier } from './scram.js';

export interface IdentityEntry {
  user: string;
  groups: string[];
  scram: ScramVerifier;
}

export const IDENTITY_ERROR = 'identity_error';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['identities'],
  properties: {
    identities: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'scram'],
        properties: {
          user: { type: 'string', minLength: 1, maxLength: 63 },
          scram: { type: 'string' },
          groups: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        },
      },
    },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(schema);
  return validator(data) ? [] : (validator.errors ?? []);
}

interface RawEntry {
  user: string;
  scram: string;
  groups?: string[];
}

/** Parses and checks an identities file's text; throws ConfigError listing every problem. */
export function parseIdentities(file: string, text: string): Map<string, IdentityEntry> {
  const src = parseYaml(file, text, IDENTITY_ERROR);
  return identitiesFromDocument(src);
}

/** The entries of an already parsed document (verdict passwd checks its edits with this). */
export function identitiesFromDocument(src: YamlSource): Map<string, IdentityEntry> {
  const data = toData(src, IDENTITY_ERROR);
  const errors = validate(data);
  if (errors.length > 0) throw new ConfigError(schemaDiagnostics(src, errors, IDENTITY_ERROR));
  const raw = ((data as { identities: RawEntry[] | null }).identities ?? []) as RawEntry[];
  const problems: Diagnostic[] = [];
  const entries = new Map<string, IdentityEntry>();
  raw.forEach((r, i) => {
    const parsed = parseScramVerifier(r.scram);
    if ('error' in parsed) {
      problems.push({
        code: IDENTITY_ERROR,
        message: `/identities/${i}/scram: ${parsed.error}`,
        position: locate(src, ['identities', i, 'scram'], 'value'),
      });
      return;
    }
    if (entries.has(r.user)) {
      problems.push({
        code: IDENTITY_ERROR,
        message: `/identities/${i}/user: user "${r.user}" is listed twice`,
        position: locate(src, ['identities', i, 'user'], 'value'),
      });
      return;
    }
    entries.set(r.user, { user: r.user, groups: [...(r.groups ?? [])], scram: parsed });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return entries;
}
