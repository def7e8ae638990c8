// Structural validation of a policy file against policies/schema/policy.schema.json with ajv. Each error names
// the file, line and column of the offending key or value.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/errors.js';
import { loadSchema } from '../../policies/assets.js';
import { describePath, type YamlSource } from './yaml-source.js';

const validators = new Map<string, ValidateFunction>();

function compiled(schema: string): ValidateFunction {
  let validator = validators.get(schema);
  // strict off: the schema lets one keyword set describe "a string or a list of strings".
  if (!validator) validators.set(schema, (validator = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(loadSchema(schema))));
  return validator;
}

/** Errors of `value` (parsed from `source`) against a schema of policies/schema/ (policy.schema.json by default). */
export function schemaErrors(source: YamlSource, value: unknown, schema = 'policy.schema.json'): Diagnostic[] {
  const validate = compiled(schema);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    const d = toDiagnostic(source, error);
    if (!d) continue;
    const key = `${d.position?.line}:${d.position?.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(source: YamlSource, error: ErrorObject): Diagnostic | null {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const where = describePath(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(error);
      return source.diagnostic(
        source.keyOffset(path, key),
        `unknown key "${key}" in ${where}${allowed ? ` (expected one of: ${allowed})` : ''}`,
      );
    }
    case 'required':
      return source.diagnostic(source.offsetOf(path), `${where} is missing required key "${String(params.missingProperty)}"`);
    case 'enum':
      return source.diagnostic(
        source.offsetOf(path),
        `${where} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      );
    case 'const':
      return source.diagnostic(source.offsetOf(path), `${where} must be ${JSON.stringify(params.allowedValue)}`);
    case 'type':
      return source.diagnostic(source.offsetOf(path), `${where} must be ${String(params.type).replace(/,/g, ' or ')}`);
    case 'pattern':
      return source.diagnostic(source.offsetOf(path), `${where} has an invalid value (must match ${String(params.pattern)})`);
    default:
      return source.diagnostic(source.offsetOf(path), `${where} ${error.message ?? 'is invalid'}`);
  }
}

function allowedKeys(error: ErrorObject): string {
  const props = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : '';
}
