// The mask strategies a decision names (`masks` of the columns entrypoint), as functions over one value in text
// form. The proxy builds one function per masked column when a result starts (maskFunction), then calls it per
// row: no parsing or allocation of configuration on the row path. SQL NULL stays NULL under every strategy. The
// keyed strategies remember outputs of repeated values (memo.ts).
import { createHmac } from 'node:crypto';
import { memoize } from './memo.js';

export type MaskStrategy = 'redact' | 'null' | 'partial' | 'email' | 'hash' | 'digits' | 'rego';

/** A mask as the policy names it: `{"strategy": "partial", "keep": 4}`. */
export interface Mask {
  strategy: MaskStrategy;
  keep?: number;
  text?: string;
  length?: number;
  entrypoint?: string;
}

export interface MaskContext {
  /** Secret for `hash` and `digits` (from the proxy's configuration, never from the policy). */
  hashKey?: Uint8Array | string;
  /** Evaluates a custom Rego mask entrypoint (`verdict/masks/NAME`) with input {value}; undefined when the rule is. */
  evaluate?: (entrypoint: string, value: string) => string | null | undefined;
}

export type MaskFunction = (value: string | null) => string | null;

export const DEFAULT_REDACTION = '[REDACTED]';
const FILL = '*';

export class MaskConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaskConfigError';
  }
}

/** The function applying `mask`; throws MaskConfigError when the mask cannot be applied (fail closed). */
export function maskFunction(mask: Mask, context: MaskContext = {}): MaskFunction {
  switch (mask.strategy) {
    case 'redact': {
      const text = mask.text ?? DEFAULT_REDACTION;
      return (v) => (v === null ? null : text);
    }
    case 'null':
      return () => null;
    case 'partial': {
      const keep = mask.keep ?? 4;
      return (v) => (v === null ? null : partial(v, keep));
    }
    case 'email':
      return (v) => (v === null ? null : email(v));
    case 'hash': {
      const key = requireKey(context, 'hash');
      const length = mask.length ?? 16;
      const hash = memoize((v) => hmacHex(key, v).slice(0, length));
      return (v) => (v === null ? null : hash(v));
    }
    case 'digits': {
      const key = requireKey(context, 'digits');
      const masked = memoize((v) => digits(v, key));
      return (v) => (v === null ? null : masked(v));
    }
    case 'rego': {
      const { evaluate } = context;
      const entrypoint = mask.entrypoint;
      if (!evaluate || !entrypoint) throw new MaskConfigError('mask strategy rego needs an entrypoint and a policy to evaluate it');
      // An undefined mask result hides the value rather than showing it (fail closed).
      return (v) => {
        if (v === null) return null;
        const out = evaluate(entrypoint, v);
        return out === undefined ? DEFAULT_REDACTION : out;
      };
    }
    default:
      throw new MaskConfigError(`unknown mask strategy ${JSON.stringify((mask as { strategy: unknown }).strategy)}`);
  }
}

/** Keeps the last `keep` characters; everything before becomes `*`. Values no longer than `keep` are hidden whole. */
export function partial(value: string, keep: number): string {
  const chars = hasSurrogates(value) ? Array.from(value) : null;
  const length = chars ? chars.length : value.length;
  if (length <= keep) return FILL.repeat(length);
  const tail = chars ? chars.slice(length - keep).join('') : value.slice(length - keep);
  return FILL.repeat(length - keep) + tail;
}

/** Keeps the domain: `ada@example.com` → `****@example.com`; anything that is not an address is hidden whole. */
export function email(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return FILL.repeat(4);
  return FILL.repeat(4) + value.slice(at);
}

/** Keyed HMAC-SHA256, hex: the same value gives the same output across runs (joins still work), no reversal. */
export function hmacHex(key: Uint8Array | string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** Same length and format, every digit replaced by one derived from a keyed HMAC of the value. */
export function digits(value: string, key: Uint8Array | string): string {
  const mac = createHmac('sha256', key).update(value, 'utf8').digest();
  let out = '';
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += String.fromCharCode(48 + (mac[n % mac.length] % 10));
      n++;
    } else out += value[i];
  }
  return out;
}

function requireKey(context: MaskContext, strategy: string): Uint8Array | string {
  const key = context.hashKey;
  if (key === undefined || key.length === 0) throw new MaskConfigError(`mask strategy ${strategy} needs a secret key in the proxy configuration`);
  return key;
}

function hasSurrogates(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
