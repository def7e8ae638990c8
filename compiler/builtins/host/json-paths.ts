// json.filter, json.remove and json.patch (RFC 6902). Paths are "a/b/0" strings (JSON-pointer escapes ~0 ~1)
// or arrays of keys. A patch that cannot be applied is undefined, as in OPA.
import { operandError, typeError } from './errors.js';
import { arr, obj } from './operands.js';
import { equal, isObject, typeName, type Obj, type Value } from './values.js';
import type { Impl } from './wire.js';

type Path = string[];
interface Trie {
  end: boolean;
  next: Map<string, Trie>;
}

/** The paths operand of json.filter / json.remove, with OPA's messages. */
function pathsOperand(v: Value): Path[] {
  if (!Array.isArray(v) && !(v instanceof Set)) throw typeError(`operand 2 must be one of {set, array} but got ${typeName(v)}`);
  return [...v].map((p) => {
    if (typeof p !== 'string' && !Array.isArray(p)) {
      throw typeError(`operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
    }
    return parsePath(p, 2);
  });
}

function parsePath(p: Value, pos: number): Path {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return p.map((k) => (typeof k === 'string' ? k : JSON.stringify(k)));
  throw operandError(pos, p, 'string', 'array');
}

function trieOf(paths: Path[]): Trie {
  const root: Trie = { end: false, next: new Map() };
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      let child = node.next.get(key);
      if (!child) node.next.set(key, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  return root;
}

function keep(v: Value, node: Trie): Value | undefined {
  if (node.end) return v;
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, child] of node.next) {
      if (!(k in v)) continue;
      const kept = keep(v[k], child);
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const child = node.next.get(String(i));
      const kept = child ? keep(x, child) : undefined;
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  return undefined;
}

function drop(v: Value, node: Trie): Value | undefined {
  if (node.end) return undefined;
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const child = node.next.get(k);
      const kept = child ? drop(x, child) : x;
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const child = node.next.get(String(i));
      const kept = child ? drop(x, child) : x;
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  return v;
}

const clone = (v: Value): Value => (Array.isArray(v) ? v.map(clone) : isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) : v);

class PatchFailed extends Error {}

/** An RFC 6901 array index: no leading zeros. */
const INDEX = /^(0|[1-9]\d*)$/;

function parent(doc: Value, path: Path): { container: Value; key: string } {
  let cur = doc;
  for (const k of path.slice(0, -1)) {
    if (isObject(cur) && k in cur) cur = cur[k];
    else if (Array.isArray(cur) && INDEX.test(k) && Number(k) < cur.length) cur = cur[Number(k)];
    else throw new PatchFailed();
  }
  return { container: cur, key: path[path.length - 1] };
}

function get(doc: Value, path: Path): Value {
  if (path.length === 0) return doc;
  const { container, key } = parent(doc, path);
  if (isObject(container) && key in container) return container[key];
  if (Array.isArray(container) && INDEX.test(key) && Number(key) < container.length) return container[Number(key)];
  throw new PatchFailed();
}

function add(doc: Value, path: Path, value: Value): Value {
  if (path.length === 0) return value;
  const { container, key } = parent(doc, path);
  if (isObject(container)) container[key] = value;
  else if (Array.isArray(container)) {
    const i = key === '-' ? container.length : INDEX.test(key) ? Number(key) : -1;
    if (i < 0 || i > container.length) throw new PatchFailed();
    container.splice(i, 0, value);
  } else throw new PatchFailed();
  return doc;
}

function remove(doc: Value, path: Path): Value {
  if (path.length === 0) throw new PatchFailed();
  const { container, key } = parent(doc, path);
  if (isObject(container) && key in container) delete container[key];
  else if (Array.isArray(container) && INDEX.test(key) && Number(key) < container.length) container.splice(Number(key), 1);
  else throw new PatchFailed();
  return doc;
}

function applyPatch(target: Value, ops: Value[]): Value | undefined {
  let doc = clone(target);
  try {
    for (const raw of ops) {
      const op = obj(raw, 2);
      if (typeof op.op !== 'string' || op.path === undefined) throw new PatchFailed();
      const path = parsePath(op.path, 2);
      const from = op.from !== undefined ? parsePath(op.from, 2) : undefined;
      switch (op.op) {
        case 'add':
          if (op.value === undefined) throw new PatchFailed();
          doc = add(doc, path, clone(op.value));
          break;
        case 'remove':
          doc = remove(doc, path);
          break;
        case 'replace':
          if (op.value === undefined) throw new PatchFailed();
          get(doc, path);
          doc = path.length === 0 ? clone(op.value) : add(remove(doc, path), path, clone(op.value));
          break;
        case 'move': {
          if (!from) throw new PatchFailed();
          const v = get(doc, from);
          doc = add(remove(doc, from), path, v);
          break;
        }
        case 'copy':
          if (!from) throw new PatchFailed();
          doc = add(doc, path, clone(get(doc, from)));
          break;
        case 'test':
          if (!('value' in op) || !equal(get(doc, path), op.value)) throw new PatchFailed();
          break;
        default:
          throw new PatchFailed();
      }
    }
  } catch (err) {
    if (err instanceof PatchFailed) return undefined;
    throw err;
  }
  return doc;
}

export const jsonPaths: Record<string, Impl> = {
  'json.filter': (o, paths) => keep(obj(o, 1), trieOf(pathsOperand(paths))) ?? {},
  'json.remove': (o, paths) => drop(obj(o, 1), trieOf(pathsOperand(paths))) ?? {},
  'json.patch': (doc, ops) => {
    if (!Array.isArray(ops)) throw operandError(2, ops, 'array');
    return applyPatch(doc, arr(ops, 2));
  },
};
