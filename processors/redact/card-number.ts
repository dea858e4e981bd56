// Payment card numbers: 13–19 digits with an issuer prefix, Luhn-checked. Separators between
// digit groups (space, dash, dot) are ignored; the group shape is number-run.ts's test.

/** True for a Luhn-valid card number of 13–19 digits; separators (space, dash, dot) are ignored. */
export function isCardNumber(candidate: string): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = candidate.length - 1; i >= 0; i--) {
    const c = candidate.charCodeAt(i);
    if (c === 32 || c === 45 || c === 46) continue;
    let d = c - 48;
    if (d < 0 || d > 9) return false;
    if (digits % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    digits++;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

/**
 * Issuer prefixes (ISO/IEC 7812 IIN ranges as the networks publish them): Visa 4, Mastercard
 * 51–55 and 2221–2720, Amex 34/37, Discover 6011/644–649/65, JCB 3528–3589, UnionPay 62, Diners
 * 30/36/38/39, Maestro 50/56–58/6. An epoch timestamp (1…) or a count never has one.
 */
export function hasIssuerPrefix(digits: string): boolean {
  const d = digits.charCodeAt(0) - 48;
  if (d === 4 || d === 5 || d === 6) return true;
  if (d === 3) return '0 4 5 6 7 8 9'.includes(digits[1]!);
  if (d === 2) {
    const four = Number(digits.slice(0, 4));
    return four >= 2221 && four <= 2720;
  }
  return false;
}

/** The last four digits, for the `partial` action. */
export function lastFour(candidate: string): string {
  let out = '';
  for (let i = candidate.length - 1; i >= 0 && out.length < 4; i--) {
    const c = candidate[i]!;
    if (c >= '0' && c <= '9') out = c + out;
  }
  return out;
}
