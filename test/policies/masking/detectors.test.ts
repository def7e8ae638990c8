import { describe, expect, it } from 'vitest';
import { cardNumber, iban, nationalId, phone } from '../../../examples/dataset/identifiers.js';
import { Random } from '../../../examples/dataset/random.js';
import { detect, ibanValid, luhnValid, type DetectorName } from '../../../policies/masking/detectors.js';

const ALL = new Set<DetectorName>(['email', 'card_number', 'iban', 'jwt', 'cloud_key']);

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
  });

  it('does not fire on look-alikes', () => {
    expect(detect('4111 1111 1111 1112', ALL)).toBeNull(); // Luhn fails
    expect(detect('DE89370400440532013001', ALL)).toBeNull(); // mod 97 fails
    expect(detect('order 12345 shipped', ALL)).toBeNull();
    expect(detect('2024-01-01T00:00:00Z', ALL)).toBeNull();
    expect(detect('ada at example dot com', ALL)).toBeNull();
    expect(detect('a@b.c', ALL)).toBeNull();
  });

  it('runs only the enabled detectors', () => {
    expect(detect('ada@example.com', new Set(['card_number']))).toBeNull();
    expect(detect('ada@example.com', new Set(['email']))).toBe('email');
  });

  it("recognizes the sample dataset's card numbers and IBANs, and leaves its phones and national ids alone", () => {
    const rng = new Random(7);
    for (let i = 0; i < 200; i++) {
      expect(detect(cardNumber(rng), ALL)).toBe('card_number');
      for (const country of ['DE', 'FR', 'NL', 'ES', 'GB']) expect(detect(iban(rng, country), ALL)).toBe('iban');
      expect(detect(nationalId(rng), ALL)).toBeNull();
      expect(detect(phone(rng, 'DE'), ALL)).toBeNull();
    }
  });

  it('checks Luhn and IBAN directly', () => {
    expect(luhnValid('79927398713')).toBe(false); // too short for a card
    expect(luhnValid('4012888888881881')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02607')).toBe(false);
  });
});
