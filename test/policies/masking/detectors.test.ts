import { describe, expect, it } from 'vitest';
import { cardNumber, iban, nationalId, phone } from '../../../examples/dataset/identifiers.js';
import { Random } from '../../../examples/dataset/random.js';
import { DETECTOR_NAMES, DETECTOR_TESTS, detect, ibanValid, luhnValid, ssnValid, type DetectorName } from '../../../policies/masking/detectors.js';

const ALL = new Set<DetectorName>(DETECTOR_NAMES);

describe('content detectors', () => {
  it('finds emails, Luhn-valid cards, mod-97 IBANs, JWTs and cloud keys', () => {
    expect(detect('contact: ada@example.com', ALL)).toBe('email');
    expect(detect('4111 1111 1111 1111', ALL)).toBe('card_number');
    expect(detect('4111-1111-1111-1111', ALL)).toBe('card_number');
    expect(detect('DE89370400440532013000', ALL)).toBe('iban');
    expect(detect('GB82 WEST 1234 5698 7654 32', ALL)).toBe('iban');
    expect(detect('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', ALL)).toBe('jwt');
    expect(detect('AKIAIOSFODNN7EXAMPLE', ALL)).toBe('cloud_key');
    expect(detect('ghp_' + 'a'.repeat(36), ALL)).toBe('cloud_key');
    expect(detect('123-45-6789', ALL)).toBe('ssn');
    expect(detect('ssn 123 45 6789 on file', ALL)).toBe('ssn');
    expect(detect('{"ssn": "912-70-1234"}', ALL)).toBe('ssn'); // an ITIN
  });

  it('does not fire on look-alikes', () => {
    expect(detect('4111 1111 1111 1112', ALL)).toBeNull(); // Luhn fails
    expect(detect('DE89370400440532013001', ALL)).toBeNull(); // mod 97 fails
    expect(detect('order 12345 shipped', ALL)).toBeNull();
    expect(detect('2024-01-01T00:00:00Z', ALL)).toBeNull();
    expect(detect('ada at example dot com', ALL)).toBeNull();
    expect(detect('a@b.c', ALL)).toBeNull();
    expect(detect('000-12-3456', ALL)).toBeNull(); // never issued
    expect(detect('666-12-3456', ALL)).toBeNull();
    expect(detect('123-00-4567', ALL)).toBeNull();
    expect(detect('123-45-0000', ALL)).toBeNull();
    expect(detect('123-45 6789', ALL)).toBeNull(); // mixed separators
    expect(detect('1123-45-6789', ALL)).toBeNull(); // part of a longer number
    expect(detect('123-45-67890', ALL)).toBeNull();
    expect(detect('555 123 4567', ALL)).toBe('phone'); // not an SSN
  });

  it('runs only the enabled detectors', () => {
    expect(detect('ada@example.com', new Set(['card_number']))).toBeNull();
    expect(detect('ada@example.com', new Set(['email']))).toBe('email');
  });

  it('finds phone numbers in international and North American form, not other digit groups', () => {
    for (const v of ['+31 726 570 8358', 'call +1 (233) 264-1170 today', '+44 20 7946 0958', '+4915112345678', '(555) 123-4567', '555.123.4567', 'tel 555-123-4567']) {
      expect(detect(v, ALL), v).toBe('phone');
    }
    for (const v of ['2024-11-25 10:00', '+1 555', 'order 12345678', 'v1.2.3.4567', '+49 1 2 3', '555-12-3456', 'x+3177265708358']) {
      expect(detect(v, new Set<DetectorName>(['phone'])), v).toBeNull();
    }
  });

  it("recognizes the sample dataset's card numbers, IBANs, national ids and phones", () => {
    const rng = new Random(7);
    for (let i = 0; i < 200; i++) {
      expect(detect(cardNumber(rng), ALL)).toBe('card_number');
      for (const country of ['DE', 'FR', 'NL', 'ES', 'GB']) expect(detect(iban(rng, country), ALL)).toBe('iban');
      const id = nationalId(rng);
      expect(detect(id, ALL)).toBe(ssnValid(id) ? 'ssn' : null); // group 00 or serial 0000 is never issued
      for (const country of ['US', 'DE', 'FR', 'NL', 'ES', 'GB']) expect(detect(phone(rng, country), ALL)).toBe('phone');
    }
  });

  it('checks Luhn and IBAN directly', () => {
    expect(luhnValid('79927398713')).toBe(false); // too short for a card
    expect(luhnValid('4012888888881881')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02607')).toBe(false);
    expect(ssnValid('078-05-1120')).toBe(true);
    expect(ssnValid('078-05-112')).toBe(false);
  });
});

describe('detect with its pre-checks', () => {
  it('answers as the plain detector tests in order would, on a mixed corpus', () => {
    const rng = new Random(3);
    const order: DetectorName[] = ['jwt', 'cloud_key', 'iban', 'phone', 'card_number', 'ssn', 'email'];
    const plain = (v: string, enabled: ReadonlySet<DetectorName>) => (v.length < 6 ? null : (order.find((n) => enabled.has(n) && DETECTOR_TESTS[n](v)) ?? null));
    const pieces = ['ada@example.com', '123-45-6789', '+31 ', '(555) ', '555-0199', '66', ' ', '-', '_', 'A', 'x', 'AKIA', 'IOSFODNN7EXAMPLE', 'xoxb-', '1234567890', 'DE89', '3704', '0044', '0532013000', 'eyJ', '.', 'ghp_', 'z'.repeat(36)];
    const values: string[] = [];
    for (let i = 0; i < 200; i++) values.push(cardNumber(rng), iban(rng, 'DE'), nationalId(rng), phone(rng, 'DE'));
    for (let i = 0; i < 3000; i++) {
      let v = '';
      for (let n = rng.int(1, 6); n > 0; n--) v += rng.pick(pieces);
      values.push(v);
    }
    const sets = [ALL, new Set<DetectorName>(['iban', 'card_number']), new Set<DetectorName>(['cloud_key', 'email'])];
    let found = 0;
    for (const v of values) {
      for (const enabled of sets) {
        const expected = plain(v, enabled);
        expect(detect(v, enabled)).toBe(expected);
        if (expected) found++;
      }
    }
    expect(found).toBeGreaterThan(1000);
  });
});
