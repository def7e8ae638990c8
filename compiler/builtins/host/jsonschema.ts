// json.verify_schema and json.match_schema with Ajv (draft-07), reporting in the shape of gojsonschema, the
// library OPA uses: [valid, error] and [valid, [{error, type, field, desc}]]. Messages for the common keywords
// follow gojsonschema's wording; other keywords carry Ajv's message.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { builtinError, operandError } from './errors.js';
import { isObject, type Obj, type Value } from './values.js';
import type { Impl } from './wire.js';

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: true });
const PRIMITIVES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];
const cache = new Map<string, ValidateFunction>();

function schemaValue(v: Value, pos: number): Obj | boolean {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as Obj | boolean;
    } catch (err) {
      throw builtinError(`jsonschema: ${(err as Error).message}`);
    }
  }
  if (isObject(v) || typeof v === 'boolean') return v as Obj | boolean;
  throw operandError(pos, v, 'string', 'object');
}

/** gojsonschema's wording for a bad `type` keyword, the most common schema mistake. */
function badType(schema: unknown): string | undefined {
  if (!isObject(schema as Value)) return undefined;
  const t = (schema as Obj).type;
  const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
  for (const x of types) {
    if (typeof x !== 'string' || !PRIMITIVES.includes(x)) {
      return `jsonschema: has a primitive type that is NOT VALID -- given: /${String(x)}/ Expected valid values are:[${PRIMITIVES.join(' ')}]`;
    }
  }
  for (const sub of Object.values(schema as Obj)) {
    if (isObject(sub)) {
      const nested = badType(sub) ?? Object.values(sub).map(badType).find(Boolean);
      if (nested) return nested;
    }
  }
  return undefined;
}

function compile(schema: Obj | boolean): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = cache.get(key);
  if (!fn) {
    const problem = badType(schema);
    if (problem) throw builtinError(problem);
    try {
      fn = ajv.compile(schema);
    } catch (err) {
      throw builtinError(`jsonschema: ${(err as Error).message}`);
    }
    if (cache.size > 200) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function describe(e: ErrorObject, doc: unknown): { type: string; field: string; desc: string } {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field = path.length ? path.join('.') : '(root)';
  const p = e.params as Record<string, unknown>;
  let value: unknown = doc;
  for (const k of path) value = (value as Record<string, unknown>)?.[k];
  switch (e.keyword) {
    case 'type':
      return { type: 'invalid_type', field, desc: `Invalid type. Expected: ${String(p.type)}, given: ${jsonType(value)}` };
    case 'required':
      return { type: 'required', field: path.length ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty), desc: `${String(p.missingProperty)} is required` };
    case 'enum':
      return { type: 'enum', field, desc: `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` };
    case 'const':
      return { type: 'const', field, desc: `${field} does not match: ${JSON.stringify(p.allowedValue)}` };
    case 'minimum':
      return { type: 'number_gte', field, desc: `Must be greater than or equal to ${String(p.limit)}` };
    case 'maximum':
      return { type: 'number_lte', field, desc: `Must be less than or equal to ${String(p.limit)}` };
    case 'minLength':
      return { type: 'string_gte', field, desc: `String length must be greater than or equal to ${String(p.limit)}` };
    case 'maxLength':
      return { type: 'string_lte', field, desc: `String length must be less than or equal to ${String(p.limit)}` };
    case 'pattern':
      return { type: 'pattern', field, desc: `Does not match pattern '${String(p.pattern)}'` };
    case 'additionalProperties':
      return { type: 'additional_property_not_allowed', field, desc: `Additional property ${String(p.additionalProperty)} is not allowed` };
    case 'minItems':
      return { type: 'array_min_items', field, desc: `Array must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { type: 'array_max_items', field, desc: `Array must have at most ${String(p.limit)} items` };
    default:
      return { type: e.keyword, field, desc: e.message ?? e.keyword };
  }
}

function documentValue(v: Value): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch (err) {
    throw builtinError(`jsonschema: ${(err as Error).message}`);
  }
}

export const jsonSchema: Record<string, Impl> = {
  'json.verify_schema': (s) => {
    try {
      compile(schemaValue(s, 1));
      return [true, null];
    } catch (err) {
      if (err instanceof Error && err.name === 'BuiltinError') return [false, err.message];
      throw err;
    }
  },
  'json.match_schema': (d, s) => {
    const doc = documentValue(d);
    const validate = compile(schemaValue(s, 2));
    if (validate(doc)) return [true, []];
    return [
      false,
      (validate.errors ?? []).map((e) => {
        const r = describe(e, doc);
        return { error: `${r.field}: ${r.desc}`, type: r.type, field: r.field, desc: r.desc };
      }),
    ];
  },
};
