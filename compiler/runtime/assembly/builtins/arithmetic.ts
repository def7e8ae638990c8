// Arithmetic: exact on integers (i64, then decimal big integers on overflow), f64 otherwise. Wrong operand
// types give undefined like OPA's WebAssembly runtime; division by zero is OPA's builtin error.
import { T_BOOLEAN, T_NULL, T_NUMBER, T_SET, T_STRING, boolOf, strLen, strPtr, typeOf } from '../value';
import { REPR_INT, intOf, intParsed, isBigInt, isIntegerText, isIntegral, makeFloat, makeInt, makeNumberText, parseIntText, reprOf, textToF64, toF64 } from '../number';
import { bigAdd, bigMul, bigSub } from '../bignum';
import { builtinError } from '../abort';
import { collLen, contains, keyAt, makeSet, setAdd } from '../collection';
import { expect, operandError } from './operand';

function bothInts(a: usize, b: usize): bool {
  return reprOf(a) == REPR_INT && reprOf(b) == REPR_INT;
}

function exactInts(a: usize, b: usize): bool {
  return (reprOf(a) == REPR_INT || isBigInt(a)) && (reprOf(b) == REPR_INT || isBigInt(b));
}

function numbers(a: usize, b: usize): bool {
  return typeOf(a) == T_NUMBER && typeOf(b) == T_NUMBER;
}

/** Both operands numbers, or OPA's type error naming the first that is not. */
function checkNumbers(name: string, a: usize, b: usize): bool {
  return expect(name, 1, a, T_NUMBER, 'number') && expect(name, 2, b, T_NUMBER, 'number');
}

export function plus(a: usize, b: usize): usize {
  if (!checkNumbers('plus', a, b)) return 0;
  if (bothInts(a, b)) {
    const x = intOf(a);
    const y = intOf(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return makeInt(r);
  }
  if (exactInts(a, b)) return bigAdd(a, b);
  return makeFloat(toF64(a) + toF64(b));
}

function numericMinus(a: usize, b: usize): usize {
  if (bothInts(a, b)) {
    const x = intOf(a);
    const y = intOf(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return makeInt(r);
  }
  if (exactInts(a, b)) return bigSub(a, b);
  return makeFloat(toF64(a) - toF64(b));
}

/** `minus` is both number subtraction and set difference. */
export function minus(a: usize, b: usize): usize {
  if (numbers(a, b)) return numericMinus(a, b);
  if (typeOf(a) == T_SET && typeOf(b) == T_SET) {
    const out = makeSet();
    const n = collLen(a);
    for (let i: u32 = 0; i < n; i++) if (!contains(b, keyAt(a, i))) setAdd(out, keyAt(a, i));
    return out;
  }
  if (typeOf(a) == T_NUMBER) return operandError('minus', 2, 'number', b);
  if (typeOf(a) == T_SET) return operandError('minus', 2, 'set', b);
  return operandError('minus', 1, 'one of {number, set}', a);
}

export function mul(a: usize, b: usize): usize {
  if (!checkNumbers('mul', a, b)) return 0;
  if (bothInts(a, b)) {
    const x = intOf(a);
    const y = intOf(b);
    const small: i64 = 3037000499; // floor(sqrt(2^63 - 1))
    if (x < small && x > -small && y < small && y > -small) return makeInt(x * y);
  }
  if (exactInts(a, b)) return bigMul(a, b);
  return makeFloat(toF64(a) * toF64(b));
}

export function div(a: usize, b: usize): usize {
  if (!checkNumbers('div', a, b)) return 0;
  const y = toF64(b);
  if (y == 0) {
    builtinError('div: divide by zero');
    return 0;
  }
  if (bothInts(a, b)) {
    const p = intOf(a);
    const q = intOf(b);
    if (q != -1 && p % q == 0) return makeInt(p / q);
  }
  return makeFloat(toF64(a) / y);
}

export function rem(a: usize, b: usize): usize {
  if (!checkNumbers('rem', a, b)) return 0;
  if (!isIntegral(a) || !isIntegral(b)) {
    builtinError('rem: modulo on floating-point number');
    return 0;
  }
  if (toF64(b) == 0) {
    builtinError('rem: modulo by zero');
    return 0;
  }
  if (bothInts(a, b)) {
    const q = intOf(b);
    return makeInt(q == -1 ? 0 : intOf(a) % q);
  }
  const x = toF64(a);
  const y = toF64(b);
  return makeFloat(x - y * Math.trunc(x / y));
}

export function abs(a: usize): usize {
  if (!expect('abs', 1, a, T_NUMBER, 'number')) return 0;
  if (reprOf(a) == REPR_INT) {
    const x = intOf(a);
    if (x >= 0) return a;
    if (x != i64.MIN_VALUE) return makeInt(-x);
  }
  if (isBigInt(a)) return toF64(a) < 0 ? bigSub(makeInt(0), a) : a;
  return makeFloat(Math.abs(toF64(a)));
}

function rounded(a: usize, mode: i32): usize {
  if (typeOf(a) != T_NUMBER) return operandError(mode == 0 ? 'round' : mode == 1 ? 'ceil' : 'floor', 1, 'number', a);
  if (reprOf(a) == REPR_INT || isBigInt(a)) return a;
  const f = toF64(a);
  // Rego's round: halves away from zero.
  const r = mode == 0 ? (f < 0 ? -Math.floor(-f + 0.5) : Math.floor(f + 0.5)) : mode == 1 ? Math.ceil(f) : Math.floor(f);
  return makeFloat(r);
}

export function round(a: usize): usize {
  return rounded(a, 0);
}
export function ceil(a: usize): usize {
  return rounded(a, 1);
}
export function floor(a: usize): usize {
  return rounded(a, 2);
}

/** NaN and infinity spellings (any case, optional sign), which OPA rejects as a type error. */
function isNonFinite(p: usize, n: u32): bool {
  let i: u32 = 0;
  if (n > 0 && (load<u8>(p) == 45 || load<u8>(p) == 43)) i = 1;
  const rest = n - i;
  if (rest != 3 && rest != 8) return false;
  const word = rest == 3 ? 'nan' : 'infinity';
  const alt = 'inf';
  let isWord = true;
  let isAlt = rest == 3;
  for (let k: u32 = 0; k < rest; k++) {
    const c = load<u8>(p + i + k) | 32;
    if (c != <u8>word.charCodeAt(<i32>k)) isWord = false;
    if (rest == 3 && c != <u8>alt.charCodeAt(<i32>k)) isAlt = false;
  }
  return isWord || isAlt;
}

function validNumberText(p: usize, n: u32): bool {
  let i: u32 = 0;
  if (i < n && (load<u8>(p) == 45 || load<u8>(p) == 43)) i++;
  let digits = 0;
  while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
    i++;
    digits++;
  }
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
      i++;
      digits++;
    }
  }
  if (digits == 0) return false;
  if (i < n && (load<u8>(p + i) | 32) == 101) {
    i++;
    if (i < n && (load<u8>(p + i) == 45 || load<u8>(p + i) == 43)) i++;
    let exp = 0;
    while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
      i++;
      exp++;
    }
    if (exp == 0) return false;
  }
  return i == n;
}

/** to_number: numbers as is, null → 0, booleans → 0/1, numeric strings parsed; others an error like OPA. */
export function to_number(a: usize): usize {
  const t = typeOf(a);
  if (t == T_NUMBER) return a;
  if (t == T_NULL) return makeInt(0);
  if (t == T_BOOLEAN) return makeInt(boolOf(a) ? 1 : 0);
  if (t == T_STRING) {
    let p = strPtr(a);
    let n = strLen(a);
    if (isNonFinite(p, n)) return operandError('to_number', 1, 'valid number string', a);
    if (!validNumberText(p, n)) {
      builtinError('to_number: invalid syntax');
      return 0;
    }
    if (load<u8>(p) == 43) {
      p++;
      n--;
    }
    // Plain integers stay exact; other spellings (leading dot, exponent) are normalized through f64.
    const i = parseIntText(p, n);
    if (intParsed()) return makeInt(i);
    if (isIntegerText(p, n) && load<u8>(p) != 48) return makeNumberText(p, n);
    return makeFloat(textToF64(p, n));
  }
  return operandError('to_number', 1, 'one of {null, boolean, number, string}', a);
}
