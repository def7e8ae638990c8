// Content detectors for result values whose source column is unknown (expressions, views, functions): the pack
// turns them on (decision field `detectors`: name → mask), the proxy runs them on each such value.
export type DetectorName = 'email' | 'card_number' | 'iban' | 'jwt' | 'cloud_key' | 'ssn' | 'phone';

/** Every detector, in the contract's order. */
export const DETECTOR_NAMES: readonly DetectorName[] = Object.freeze(['email', 'card_number', 'iban', 'jwt', 'cloud_key', 'ssn', 'phone']);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const CARD = /(?:\d[ -]?){12,18}\d/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;
// AWS access key ids, Google API keys, GitHub and Slack tokens, Stripe secret keys.
// US social security numbers written with dashes or spaces (nine bare digits would match too much else).
const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
// Phone numbers in international form (+, a country code, then groups of digits: E.164 allows 15 digits at most) or
// in the North American form with separators ((555) 123-4567, 555-123-4567). Bare digit runs match too much else.
const PHONE_INTERNATIONAL = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w-])/g;
const PHONE_NANP = /(?<![\w-])(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/;
const CLOUD_KEY = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|AIza[0-9A-Za-z_-]{35}|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bsk_live_[A-Za-z0-9]{24,}/;

/**
 * Fixed order: the most specific detectors first, so a JWT, an IBAN or a +-prefixed phone number (whose digits may
 * pass Luhn) is not reported as something else.
 */
const ORDER: DetectorName[] = ['jwt', 'cloud_key', 'iban', 'phone', 'card_number', 'ssn', 'email'];

export const DETECTOR_TESTS: Record<DetectorName, (value: string) => boolean> = {
  email: (v) => v.includes('@') && EMAIL.test(v),
  card_number: (v) => anyMatch(v, CARD, (m) => luhnValid(m.replace(/[ -]/g, ''))),
  iban: (v) => anyMatch(v, IBAN, (m) => ibanValid(m.replace(/ /g, ''))),
  jwt: (v) => v.includes('eyJ') && JWT.test(v),
  cloud_key: (v) => CLOUD_KEY.test(v),
  ssn: (v) => anyMatch(v, SSN, ssnValid),
  phone: (v) => anyMatch(v, PHONE_INTERNATIONAL, phoneDigitsValid) || PHONE_NANP.test(v),
};

/** The first enabled detector that finds something in value, or null. Short values are never sensitive here. */
export function detect(value: string, enabled: ReadonlySet<DetectorName>): DetectorName | null {
  if (value.length < 6) return null;
  // One pass over the characters rules out the regular expressions that cannot match (most values of a column):
  // each condition below is necessary for its detector's pattern, so the answer is the same, only cheaper.
  let digits = 0;
  let upper = 0;
  let keyMark = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) {
      upper++;
      if (c === 65) keyMark = true; // AKIA, ASIA, AIza
    } else if (c === 95 || c === 45) keyMark = true; // gh?_, sk_live_, xox?-
  }
  for (const name of ORDER) {
    if (!enabled.has(name)) continue;
    if (name === 'card_number' && digits < 13) continue; // 13 to 19 digits
    if (name === 'iban' && (digits < 2 || upper < 2 || value.length < 15)) continue; // CC, 2 check digits, 11+ more
    if (name === 'cloud_key' && !keyMark) continue;
    if (name === 'ssn' && digits < 9) continue;
    if (name === 'phone' && digits < 8) continue; // 8 to 15 digits
    if (DETECTOR_TESTS[name](value)) return name;
  }
  return null;
}

/**
 * Numbers the SSA never issues fail (area 000 or 666, group 00, serial 0000). Areas 900-999 pass: ITINs, the same
 * kind of taxpayer id, live there.
 */
export function ssnValid(ssn: string): boolean {
  const digits = ssn.replace(/[- ]/g, '');
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** An international number has 8 to 15 digits, country code included. */
function phoneDigitsValid(match: string): boolean {
  let digits = 0;
  for (let i = 0; i < match.length; i++) if (match.charCodeAt(i) >= 48 && match.charCodeAt(i) <= 57) digits++;
  return digits >= 8 && digits <= 15;
}

function anyMatch(value: string, pattern: RegExp, check: (match: string) => boolean): boolean {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) if (check(m[0])) return true;
  return false;
}

export function luhnValid(number: string): boolean {
  if (number.length < 13 || number.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to numbers, remainder mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}
