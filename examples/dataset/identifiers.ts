// Fake but well-formed identifiers: card numbers pass Luhn, IBANs pass mod-97, national ids use
// the 9xx area numbers that are never issued as real US social security numbers.
import type { Random } from './random.js';

export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function cardNumber(rng: Random): string {
  const prefix = rng.pick(['4', '51', '52', '53', '54', '55']);
  const payload = prefix + rng.digits(15 - prefix.length);
  const digits = payload + luhnCheckDigit(payload);
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** ISO 13616 check digits: move country + "00" to the end, letters to numbers, 98 - (n mod 97). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = (bban + country + '00').toUpperCase();
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

const IBAN_FORMATS: Record<string, (rng: Random) => string> = {
  DE: (rng) => rng.digits(18),
  FR: (rng) => rng.digits(10) + rng.digits(11) + rng.digits(2),
  NL: (rng) => rng.pick(['ABNA', 'INGB', 'RABO']) + rng.digits(10),
  ES: (rng) => rng.digits(20),
  GB: (rng) => rng.pick(['NWBK', 'BARC', 'MIDL']) + rng.digits(14),
};

export function iban(rng: Random, country: string): string {
  const format = IBAN_FORMATS[country] ?? IBAN_FORMATS.DE;
  const bban = format(rng);
  return country + ibanCheckDigits(country, bban) + bban;
}

export function nationalId(rng: Random): string {
  return `9${rng.digits(2)}-${rng.digits(2)}-${rng.digits(4)}`;
}

export function phone(rng: Random, country: string): string {
  const codes: Record<string, string> = { US: '+1', DE: '+49', FR: '+33', NL: '+31', ES: '+34', GB: '+44' };
  return `${codes[country] ?? '+1'} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(4)}`;
}
