import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError, InvariantError } from '../../../lib/core/shared/errors.js';
import {
  ONE, ZERO, add, canonicalDecimal, cmp, div, divInt, divRound, fromInt, fromUnits, mul, mulInt, neg, parseDecimal, roundTo, sub, sum, toDecimalString, toMoneyString,
  type Fixed,
} from '../../../lib/core/money/fixed.js';

/** Any value a DecimalString can carry (15 integer digits, 10 places), as scaled units. */
const fixedArb = fc.bigInt({ min: -(10n ** 25n) + 1n, max: 10n ** 25n - 1n }).map(fromUnits);

describe('parseDecimal / toDecimalString', () => {
  it.each([
    ['0', '0'], ['-0', '0'], ['187.25', '187.25'], ['187.2500', '187.25'], ['001.5', '1.5'], ['-12.5', '-12.5'],
    ['0.0000000001', '0.0000000001'], ['123456789012345.9999999999', '123456789012345.9999999999'],
  ])('reads %s canonically as %s', (input, expected) => {
    expect(toDecimalString(parseDecimal(input))).toBe(expected);
  });

  it.each(['', '1.', '.5', '1e3', '0x10', ' 1', '1.00000000001', 'NaN', '+1'])('refuses %j', (input) => {
    expect(() => parseDecimal(input)).toThrow(ValidationError);
  });

  it('pads money to two places without rounding sub-cent digits', () => {
    expect(toMoneyString(parseDecimal('1872.5'))).toBe('1872.50');
    expect(toMoneyString(parseDecimal('0.3457'))).toBe('0.3457');
    expect(toMoneyString(ZERO)).toBe('0.00');
    expect(canonicalDecimal('-0.10')).toBe('-0.1');
  });

  it('round-trips every value through format then parse', () => {
    fc.assert(fc.property(fixedArb, (x) => parseDecimal(toDecimalString(x)) === x));
  });

  it('round-trips every canonical string through parse then format', () => {
    const strArb = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.bigInt({ min: 0n, max: 10n ** 10n - 1n })).map(([n, i, f]) => {
      const frac = f.toString().padStart(10, '0').replace(/0+$/, '');
      const s = `${i}${frac ? '.' + frac : ''}`;
      return n && s !== '0' ? '-' + s : s;
    });
    fc.assert(fc.property(strArb, (s) => toDecimalString(parseDecimal(s)) === s));
  });
});

describe('arithmetic', () => {
  it('adds commutatively and associatively', () => {
    fc.assert(fc.property(fixedArb, fixedArb, fixedArb, (a, b, c) => add(a, b) === add(b, a) && add(add(a, b), c) === add(a, add(b, c))));
  });

  it('subtracts as the inverse of add', () => {
    fc.assert(fc.property(fixedArb, fixedArb, (a, b) => sub(add(a, b), b) === a && add(a, neg(a)) === ZERO));
  });

  it('sums ten thousand 0.1s to exactly 1000', () => {
    const tenth = parseDecimal('0.1');
    expect(toDecimalString(sum(Array.from({ length: 10_000 }, () => tenth)))).toBe('1000');
    // the float that this replaces does drift
    expect(Array.from({ length: 10_000 }, () => 0.1).reduce((a, b) => a + b, 0)).not.toBe(1000);
  });

  it('multiplies by an integer exactly, equal to repeated addition', () => {
    fc.assert(fc.property(fixedArb, fc.integer({ min: 0, max: 200 }), (a, n) => mulInt(a, n) === sum(Array.from({ length: n }, () => a))));
  });

  it('multiplies decimals with one half-even rounding', () => {
    expect(toDecimalString(mul(parseDecimal('187.25'), parseDecimal('0.5')))).toBe('93.625');
    // 0.00000000005 is a tie at 10 places: half-even goes to the even neighbour (0)
    expect(toDecimalString(mul(parseDecimal('0.0000000001'), parseDecimal('0.5')))).toBe('0');
    expect(toDecimalString(mul(parseDecimal('0.0000000003'), parseDecimal('0.5')))).toBe('0.0000000002');
    expect(toDecimalString(mul(parseDecimal('0.0000000003'), parseDecimal('0.5'), 'HALF_UP'))).toBe('0.0000000002');
    expect(toDecimalString(mul(parseDecimal('0.0000000001'), parseDecimal('0.5'), 'HALF_UP'))).toBe('0.0000000001');
  });

  it('divides with explicit rounding', () => {
    const third = div(ONE, fromInt(3));
    expect(toDecimalString(third)).toBe('0.3333333333');
    expect(toDecimalString(div(fromInt(2), fromInt(3)))).toBe('0.6666666667');
    expect(toDecimalString(div(fromInt(2), fromInt(3), 'DOWN'))).toBe('0.6666666666');
    expect(toDecimalString(divInt(fromInt(-2), 3, 'FLOOR'))).toBe('-0.6666666667');
    expect(toDecimalString(divInt(fromInt(-2), 3, 'CEILING'))).toBe('-0.6666666666');
    expect(() => div(ONE, ZERO)).toThrow(InvariantError);
  });

  it('rounds ties to even and other values to nearest, symmetrically around zero', () => {
    expect([5n, 15n, 25n, -5n, -15n, -25n].map((n) => divRound(n, 10n, 'HALF_EVEN'))).toEqual([0n, 2n, 2n, 0n, -2n, -2n]);
    expect([5n, 15n, -5n, -15n].map((n) => divRound(n, 10n, 'HALF_UP'))).toEqual([1n, 2n, -1n, -2n]);
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
      const q = divRound(n, d, 'HALF_EVEN');
      const err = n - q * d; // |err| ≤ d/2
      return 2n * (err < 0n ? -err : err) <= d && divRound(-n, d, 'HALF_EVEN') === -q;
    }));
  });

  it('rounds to cents half-even', () => {
    expect(toMoneyString(roundTo(parseDecimal('2.345'), 2))).toBe('2.34');
    expect(toMoneyString(roundTo(parseDecimal('2.355'), 2))).toBe('2.36');
    expect(toMoneyString(roundTo(parseDecimal('-2.3451'), 2))).toBe('-2.35');
  });

  it('compares like the numbers it holds', () => {
    fc.assert(fc.property(fixedArb, fixedArb, (a: Fixed, b: Fixed) => cmp(a, b) === -cmp(b, a) && (cmp(a, b) === 0) === (a === b)));
    expect(cmp(parseDecimal('0.1'), parseDecimal('0.09'))).toBe(1);
  });

  it('refuses a fractional integer quantity', () => {
    expect(() => mulInt(ONE, 1.5)).toThrow(InvariantError);
  });
});
