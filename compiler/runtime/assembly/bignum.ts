// Exact integer arithmetic beyond i64 on decimal digit strings (ASCII), schoolbook style: policies only meet
// such numbers occasionally (big ids, nanosecond times), so simplicity wins over speed here.
import { alloc } from './heap';
import { REPR_INT, intOf, makeNumberText, refLen, refPtr, reprOf } from './number';

// A big integer record: [negative u32 @0][digit count u32 @4][digits @8], no leading zeros ("0" for zero).

function fromNumber(v: usize): usize {
  if (reprOf(v) == REPR_INT) {
    const i = intOf(v);
    let mag: u64 = i < 0 ? <u64>(-i) : <u64>i; // i64.MIN wraps to 2^63, which is right as unsigned
    const r = alloc(8 + 20);
    let n: u32 = 0;
    const tmp = alloc(20);
    do {
      store<u8>(tmp + n, <u8>(48 + <u32>(mag % 10)));
      mag /= 10;
      n++;
    } while (mag != 0);
    for (let k: u32 = 0; k < n; k++) store<u8>(r + 8 + k, load<u8>(tmp + n - 1 - k));
    store<u32>(r, i < 0 ? 1 : 0);
    store<u32>(r, n, 4);
    return r;
  }
  const p = refPtr(v);
  const len = refLen(v);
  let start: u32 = 0;
  let neg: u32 = 0;
  if (load<u8>(p) == 45) {
    neg = 1;
    start = 1;
  } else if (load<u8>(p) == 43) start = 1;
  while (start < len - 1 && load<u8>(p + start) == 48) start++;
  const r = alloc(8 + len);
  const n = len - start;
  memory.copy(r + 8, p + start, n);
  store<u32>(r, n == 1 && load<u8>(r + 8) == 48 ? 0 : neg);
  store<u32>(r, n, 4);
  return r;
}

function cmpMag(a: usize, b: usize): i32 {
  const la = load<u32>(a, 4);
  const lb = load<u32>(b, 4);
  if (la != lb) return la < lb ? -1 : 1;
  for (let i: u32 = 0; i < la; i++) {
    const x = load<u8>(a + 8 + i);
    const y = load<u8>(b + 8 + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two integral numbers (i64 or big integer text). */
export function bigCompare(x: usize, y: usize): i32 {
  const a = fromNumber(x);
  const b = fromNumber(y);
  const na = load<u32>(a);
  const nb = load<u32>(b);
  if (na != nb) return na != 0 ? -1 : 1;
  const c = cmpMag(a, b);
  return na != 0 ? -c : c;
}

/** Builds the number from a digit buffer written right-aligned in [buf, buf + cap). */
function toNumber(neg: bool, buf: usize, cap: u32): usize {
  let start: u32 = 1;
  while (start < cap - 1 && load<u8>(buf + start) == 48) start++;
  const isZero = cap - start == 1 && load<u8>(buf + start) == 48;
  if (neg && !isZero) {
    start--;
    store<u8>(buf + start, 45);
  }
  return makeNumberText(buf + start, cap - start);
}

function addMag(a: usize, b: usize, neg: bool): usize {
  const la = load<u32>(a, 4);
  const lb = load<u32>(b, 4);
  const cap = (la > lb ? la : lb) + 2;
  const buf = alloc(cap);
  let carry: u32 = 0;
  for (let k: u32 = 0; k < cap - 1; k++) {
    const da: u32 = k < la ? <u32>load<u8>(a + 8 + la - 1 - k) - 48 : 0;
    const db: u32 = k < lb ? <u32>load<u8>(b + 8 + lb - 1 - k) - 48 : 0;
    const s = da + db + carry;
    store<u8>(buf + cap - 1 - k, <u8>(48 + s % 10));
    carry = s / 10;
  }
  store<u8>(buf, 48);
  return toNumber(neg, buf, cap);
}

/** |a| - |b| with |a| >= |b|. */
function subMag(a: usize, b: usize, neg: bool): usize {
  const la = load<u32>(a, 4);
  const lb = load<u32>(b, 4);
  const cap = la + 2;
  const buf = alloc(cap);
  let borrow: i32 = 0;
  for (let k: u32 = 0; k < la; k++) {
    const da = <i32>load<u8>(a + 8 + la - 1 - k) - 48;
    const db: i32 = k < lb ? <i32>load<u8>(b + 8 + lb - 1 - k) - 48 : 0;
    let d = da - db - borrow;
    borrow = 0;
    if (d < 0) {
      d += 10;
      borrow = 1;
    }
    store<u8>(buf + cap - 1 - k, <u8>(48 + d));
  }
  store<u8>(buf, 48);
  store<u8>(buf + 1, 48);
  return toNumber(neg, buf, cap);
}

function addSigned(a: usize, b: usize): usize {
  const na = load<u32>(a) != 0;
  const nb = load<u32>(b) != 0;
  if (na == nb) return addMag(a, b, na);
  const c = cmpMag(a, b);
  if (c == 0) return makeNumberText(memory.data<u8>([48]), 1);
  return c > 0 ? subMag(a, b, na) : subMag(b, a, nb);
}

export function bigAdd(x: usize, y: usize): usize {
  return addSigned(fromNumber(x), fromNumber(y));
}

export function bigSub(x: usize, y: usize): usize {
  const b = fromNumber(y);
  store<u32>(b, load<u32>(b) != 0 ? 0 : 1);
  return addSigned(fromNumber(x), b);
}

export function bigMul(x: usize, y: usize): usize {
  const a = fromNumber(x);
  const b = fromNumber(y);
  const la = load<u32>(a, 4);
  const lb = load<u32>(b, 4);
  const cap = la + lb + 1;
  const acc = alloc(<usize>cap << 2);
  memory.fill(acc, 0, <usize>cap << 2);
  for (let i: u32 = 0; i < la; i++) {
    const da = <u32>load<u8>(a + 8 + la - 1 - i) - 48;
    for (let j: u32 = 0; j < lb; j++) {
      const db = <u32>load<u8>(b + 8 + lb - 1 - j) - 48;
      const at = acc + (<usize>(i + j) << 2);
      store<u32>(at, load<u32>(at) + da * db);
    }
  }
  const buf = alloc(cap);
  let carry: u32 = 0;
  for (let k: u32 = 0; k < cap; k++) {
    const s = load<u32>(acc + (<usize>k << 2)) + carry;
    store<u8>(buf + cap - 1 - k, <u8>(48 + s % 10));
    carry = s / 10;
  }
  return toNumber((load<u32>(a) != 0) != (load<u32>(b) != 0), buf, cap);
}
