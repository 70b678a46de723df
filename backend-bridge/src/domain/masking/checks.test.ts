import { describe, expect, it } from 'vitest';
import { ibanValid, luhnValid, rrnValid, shannonEntropy, ssnValid } from './checks.js';

describe('checksums', () => {
  it('Luhn accepts valid card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111-1111')).toBe(false);
  });

  it('RRN needs a real date, a gender digit and the mod-11 check digit', () => {
    expect(rrnValid('9001011234568')).toBe(true);
    expect(rrnValid('9001011234567')).toBe(false);
    expect(rrnValid('9013011234568')).toBe(false);
    expect(rrnValid('9001019234568')).toBe(false);
  });

  it('IBAN needs the country length and mod 97 = 1', () => {
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB83WEST12345698765432')).toBe(false);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false);
    expect(ibanValid('ZZ82WEST12345698765432')).toBe(false);
  });

  it('SSN rejects never-issued areas, groups and serials', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('000', '45', '6789')).toBe(false);
    expect(ssnValid('666', '45', '6789')).toBe(false);
    expect(ssnValid('912', '45', '6789')).toBe(false);
    expect(ssnValid('123', '00', '6789')).toBe(false);
    expect(ssnValid('123', '45', '0000')).toBe(false);
  });

  it('Shannon entropy is 0 for one symbol and log2(n) for n distinct symbols', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBeCloseTo(2, 10);
    expect(shannonEntropy('')).toBe(0);
  });
});
