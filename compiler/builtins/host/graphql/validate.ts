// Schema validation over the parsed SchemaDocument (see schema.ts), returning the first problem found or
// undefined. Mirrors the checks of gqlparser's validator that OPA's graphql.schema_is_valid relies on.
import type { Json, Obj } from './parser.js';

const SCALARS = ['Int', 'Float', 'String', 'Boolean', 'ID'];
const BUILTIN_DIRECTIVES: Record<string, string[]> = {
  skip: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
  include: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
  deprecated: ['FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INPUT_FIELD_DEFINITION', 'ENUM_VALUE'],
  specifiedBy: ['SCALAR'],
  oneOf: ['INPUT_OBJECT'],
  defer: ['FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
};
const LOCATION_OF_KIND: Record<string, string> = {
  SCALAR: 'SCALAR', OBJECT: 'OBJECT', INTERFACE: 'INTERFACE', UNION: 'UNION', ENUM: 'ENUM', INPUT_OBJECT: 'INPUT_OBJECT',
};

interface Def {
  Kind: string;
  Name: string;
  Fields: Obj[];
  Interfaces: string[];
  Types: string[];
  EnumValues: Obj[];
  Directives: Obj[];
}

const list = <T>(v: Json | undefined): T[] => (Array.isArray(v) ? (v as T[]) : []);

function namedType(t: Json | undefined): string | undefined {
  let cur = t as Obj | undefined;
  while (cur && typeof cur === 'object' && cur.Elem) cur = cur.Elem as Obj;
  return cur && typeof cur.NamedType === 'string' ? cur.NamedType : undefined;
}

export function validateSchema(doc: Obj): string | undefined {
  const types = new Map<string, Def>();
  for (const s of SCALARS) types.set(s, { Kind: 'SCALAR', Name: s, Fields: [], Interfaces: [], Types: [], EnumValues: [], Directives: [] });
  const directives = new Map<string, string[]>(Object.entries(BUILTIN_DIRECTIVES));
  for (const d of list<Obj>(doc.Directives)) {
    if (directives.has(d.Name as string) && !(d.Name as string in BUILTIN_DIRECTIVES)) return `Cannot redeclare directive ${d.Name as string}.`;
    directives.set(d.Name as string, list<string>(d.Locations));
  }
  const asDef = (o: Obj): Def => ({
    Kind: o.Kind as string, Name: o.Name as string, Fields: [...list<Obj>(o.Fields)], Interfaces: [...list<string>(o.Interfaces)],
    Types: [...list<string>(o.Types)], EnumValues: [...list<Obj>(o.EnumValues)], Directives: [...list<Obj>(o.Directives)],
  });
  for (const o of list<Obj>(doc.Definitions)) {
    if (typeof o.Name !== 'string' || typeof o.Kind !== 'string') return 'malformed definition';
    if (types.has(o.Name) && !SCALARS.includes(o.Name)) return `Cannot redeclare type ${o.Name}.`;
    types.set(o.Name, asDef(o));
  }
  for (const e of list<Obj>(doc.Extensions)) {
    const base = types.get(e.Name as string);
    if (!base) {
      types.set(e.Name as string, asDef(e));
      continue;
    }
    if (base.Kind !== e.Kind) return `Cannot extend type ${e.Name as string} because the base type is a ${base.Kind}, not ${e.Kind as string}.`;
    const ext = asDef(e);
    base.Fields.push(...ext.Fields);
    base.Interfaces.push(...ext.Interfaces);
    base.Types.push(...ext.Types);
    base.EnumValues.push(...ext.EnumValues);
    base.Directives.push(...ext.Directives);
  }

  const isInput = (n: string): boolean => ['SCALAR', 'ENUM', 'INPUT_OBJECT'].includes(types.get(n)?.Kind ?? '');
  const isOutput = (n: string): boolean => ['SCALAR', 'ENUM', 'OBJECT', 'INTERFACE', 'UNION'].includes(types.get(n)?.Kind ?? '');
  const checkDirectives = (ds: Obj[], location: string): string | undefined => {
    for (const d of ds) {
      const locations = directives.get(d.Name as string);
      if (!locations) return `Undefined directive ${d.Name as string}.`;
      if (!locations.includes(location)) return `Directive ${d.Name as string} is not applicable on ${location}.`;
    }
    return undefined;
  };

  for (const def of types.values()) {
    if (SCALARS.includes(def.Name) && def.Fields.length === 0 && def.Kind === 'SCALAR') continue;
    if (def.Name.startsWith('__')) return `Name "${def.Name}" must not begin with "__", which is reserved by GraphQL introspection.`;
    const problem = checkDirectives(def.Directives, LOCATION_OF_KIND[def.Kind]);
    if (problem) return problem;
    if (def.Kind === 'OBJECT' || def.Kind === 'INTERFACE' || def.Kind === 'INPUT_OBJECT') {
      if (def.Fields.length === 0) return `${def.Kind} ${def.Name}: must define one or more fields.`;
      const seen = new Set<string>();
      for (const f of def.Fields) {
        if (seen.has(f.Name as string)) return `Field ${def.Name}.${f.Name as string} can only be defined once.`;
        seen.add(f.Name as string);
        const t = namedType(f.Type);
        if (!t || !types.has(t)) return `Undefined type ${t}.`;
        if (def.Kind === 'INPUT_OBJECT' ? !isInput(t) : !isOutput(t)) return `${def.Kind} field must be ${def.Kind === 'INPUT_OBJECT' ? 'an input' : 'an output'} type.`;
        const fp = checkDirectives(list<Obj>(f.Directives), def.Kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION');
        if (fp) return fp;
        for (const a of list<Obj>(f.Arguments)) {
          const at = namedType(a.Type);
          if (!at || !types.has(at)) return `Undefined type ${at}.`;
          if (!isInput(at)) return `Argument ${a.Name as string} must be an input type.`;
          const ap = checkDirectives(list<Obj>(a.Directives), 'ARGUMENT_DEFINITION');
          if (ap) return ap;
        }
      }
      for (const name of def.Interfaces) {
        const iface = types.get(name);
        if (!iface) return `Undefined type ${name}.`;
        if (iface.Kind !== 'INTERFACE') return `${def.Name} must implement interface types, ${name} is ${iface.Kind}.`;
        for (const f of iface.Fields) if (!seen.has(f.Name as string)) return `For ${def.Name} to implement ${name} it must have a field called ${f.Name as string}.`;
        for (const inherited of iface.Interfaces) {
          if (!def.Interfaces.includes(inherited)) return `${def.Name} must implement ${inherited} because it is implemented by ${name}.`;
        }
      }
    } else if (def.Kind === 'UNION') {
      if (def.Types.length === 0) return `UNION ${def.Name}: must define one or more unique member types.`;
      for (const m of def.Types) if (types.get(m)?.Kind !== 'OBJECT') return `UNION type "${m}" must be OBJECT.`;
    } else if (def.Kind === 'ENUM') {
      if (def.EnumValues.length === 0) return `ENUM ${def.Name}: must define one or more unique enum values.`;
      for (const v of def.EnumValues) {
        const vp = checkDirectives(list<Obj>(v.Directives), 'ENUM_VALUE');
        if (vp) return vp;
      }
    }
  }

  for (const s of [...list<Obj>(doc.Schema), ...list<Obj>(doc.SchemaExtension)]) {
    const sp = checkDirectives(list<Obj>(s.Directives), 'SCHEMA');
    if (sp) return sp;
    for (const op of list<Obj>(s.OperationTypes)) {
      if (types.get(op.Type as string)?.Kind !== 'OBJECT') return `${op.Operation as string} root type must be an OBJECT; ${op.Type as string} is not defined.`;
    }
  }
  return undefined;
}
